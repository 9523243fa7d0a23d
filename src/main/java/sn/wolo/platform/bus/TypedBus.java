package sn.wolo.platform.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import sn.wolo.platform.errors.DomainException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * A domain's {@link BusContract} interface over the event bus, typed on both ends, JSON on the wire.
 * {@link #bind} serves an implementation at the contract's addresses (on this node; other nodes of a
 * clustered bus reach it too); {@link #proxy} gives callers the same interface. A request is the
 * method's parameters as a JSON object keyed by their names in snake_case ({@code potId} →
 * {@code "pot_id"}), or the record itself when the only parameter is a record; the reply is the
 * returned record. A {@link DomainException} raised by the implementation fails the caller's future
 * with the same exception (kind, code, message, fields), whichever node served it.
 */
public final class TypedBus {

  private TypedBus() {
  }

  /** {@code wolo.<domain>.<method-in-kebab-case>}. */
  public static String address(Class<?> contract, Method method) {
    return Addresses.request(domainOf(contract), kebab(method.getName()));
  }

  /** The operations of a contract: its abstract methods (defaults are conveniences built on them). */
  public static List<Method> operations(Class<?> contract) {
    List<Method> operations = new ArrayList<>();
    for (Method m : contract.getMethods()) {
      if (!m.isDefault() && !Modifier.isStatic(m.getModifiers())) operations.add(m);
    }
    return operations;
  }

  public static <T> void bind(Vertx vertx, Class<T> contract, T implementation) {
    for (Method method : operations(contract)) {
      Bus.serve(vertx, address(contract, method), body -> invoke(implementation, method, body));
    }
  }

  @SuppressWarnings("unchecked")
  public static <T> T proxy(Vertx vertx, Class<T> contract) {
    domainOf(contract);
    return (T) Proxy.newProxyInstance(contract.getClassLoader(), new Class<?>[] {contract}, (self, method, args) -> {
      if (method.getDeclaringClass() == Object.class) return objectMethod(self, method, args, contract);
      if (method.isDefault()) return java.lang.reflect.InvocationHandler.invokeDefault(self, method, args);
      Type result = resultType(method);
      return Bus.call(vertx, address(contract, method), request(method, args))
          .recover(e -> Future.failedFuture(DomainFailure.of(e).map(Throwable.class::cast).orElse(e)))
          .map(reply -> result == Void.class ? null : ContractJson.fromJson(reply, result));
    });
  }

  private static Future<JsonObject> invoke(Object implementation, Method method, JsonObject body) {
    Parameter[] parameters = method.getParameters();
    Object[] args = new Object[parameters.length];
    try {
      if (wholeBody(method)) {
        args[0] = ContractJson.fromJson(body, parameters[0].getParameterizedType());
      } else {
        for (int i = 0; i < parameters.length; i++) {
          args[i] = ContractJson.fromJson(body.getValue(snake(parameters[i].getName())), parameters[i].getParameterizedType());
        }
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(DomainException.invalid("invalid_request", "The request does not match " + method.getName() + ": "
          + e.getMessage()));
    }
    try {
      Future<?> result = (Future<?>) method.invoke(implementation, args);
      return result.map(TypedBus::reply);
    } catch (InvocationTargetException e) {
      return Future.failedFuture(e.getCause());
    } catch (IllegalAccessException e) {
      return Future.failedFuture(e);
    }
  }

  private static JsonObject reply(Object value) {
    return value == null ? new JsonObject() : ContractJson.toJson(value);
  }

  /** Absent rather than null: a handler's {@code getString(key, default)} then applies its default. */
  private static JsonObject request(Method method, Object[] args) {
    if (args == null || args.length == 0) return new JsonObject();
    if (wholeBody(method)) return ContractJson.toRequest(args[0]);
    JsonObject body = new JsonObject();
    Parameter[] parameters = method.getParameters();
    for (int i = 0; i < parameters.length; i++) {
      if (args[i] != null) body.put(snake(parameters[i].getName()), ContractJson.toJsonValue(args[i]));
    }
    return body;
  }

  /** One record parameter is the request itself. */
  private static boolean wholeBody(Method method) {
    return method.getParameterCount() == 1 && method.getParameterTypes()[0].isRecord();
  }

  private static Type resultType(Method method) {
    if (method.getReturnType() != Future.class || !(method.getGenericReturnType() instanceof ParameterizedType p)) {
      throw new IllegalStateException(method + " must return Future<…>");
    }
    return p.getActualTypeArguments()[0];
  }

  private static String domainOf(Class<?> contract) {
    BusContract annotation = contract.getAnnotation(BusContract.class);
    if (!contract.isInterface() || annotation == null) throw new IllegalArgumentException(contract + " is not a @BusContract interface");
    return annotation.domain();
  }

  private static Object objectMethod(Object self, Method method, Object[] args, Class<?> contract) {
    return switch (method.getName()) {
      case "equals" -> self == args[0];
      case "hashCode" -> System.identityHashCode(self);
      default -> contract.getSimpleName() + " over the event bus";
    };
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
