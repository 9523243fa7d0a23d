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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * What a call needs of its method, worked out once when a contract is bound or proxied (not at each
   * call, on paths such as a donation's initiation): its address, its parameters' JSON names and
   * types, whether the record is the whole request, the result's type.
   */
  private record Operation(Method method, String address, boolean wholeBody, String[] fields, Type[] types, Type result) {

    static Operation of(Class<?> contract, Method method) {
      Parameter[] parameters = method.getParameters();
      String[] fields = new String[parameters.length];
      Type[] types = new Type[parameters.length];
      for (int i = 0; i < parameters.length; i++) {
        fields[i] = snake(parameters[i].getName());
        types[i] = parameters[i].getParameterizedType();
      }
      boolean wholeBody = parameters.length == 1 && method.getParameterTypes()[0].isRecord();   // one record: the request itself
      return new Operation(method, TypedBus.address(contract, method), wholeBody, fields, types, resultType(method));
    }

    Object[] arguments(JsonObject body) {
      Object[] args = new Object[fields.length];
      if (wholeBody) {
        args[0] = ContractJson.fromJson(body, types[0]);
      } else {
        for (int i = 0; i < fields.length; i++) args[i] = ContractJson.fromJson(body.getValue(fields[i]), types[i]);
      }
      return args;
    }

    /** Absent rather than null: a handler's {@code getString(key, default)} then applies its default. */
    JsonObject request(Object[] args) {
      if (args == null || args.length == 0) return new JsonObject();
      if (wholeBody) return ContractJson.toRequest(args[0]);
      JsonObject body = new JsonObject();
      for (int i = 0; i < fields.length; i++) {
        if (args[i] != null) body.put(fields[i], ContractJson.toJsonValue(args[i]));
      }
      return body;
    }
  }

  public static <T> void bind(Vertx vertx, Class<T> contract, T implementation) {
    for (Method method : operations(contract)) {
      Operation operation = Operation.of(contract, method);
      Bus.serve(vertx, operation.address(), body -> invoke(implementation, operation, body));
    }
  }

  @SuppressWarnings("unchecked")
  public static <T> T proxy(Vertx vertx, Class<T> contract) {
    domainOf(contract);
    Map<Method, Operation> operations = new HashMap<>();
    for (Method method : operations(contract)) operations.put(method, Operation.of(contract, method));
    return (T) Proxy.newProxyInstance(contract.getClassLoader(), new Class<?>[] {contract}, (self, method, args) -> {
      if (method.getDeclaringClass() == Object.class) return objectMethod(self, method, args, contract);
      if (method.isDefault()) return java.lang.reflect.InvocationHandler.invokeDefault(self, method, args);
      Operation operation = operations.get(method);
      return Bus.call(vertx, operation.address(), operation.request(args))
          .recover(e -> Future.failedFuture(DomainFailure.of(e).map(Throwable.class::cast).orElse(e)))
          .map(reply -> operation.result() == Void.class ? null : ContractJson.fromJson(reply, operation.result()));
    });
  }

  private static Future<JsonObject> invoke(Object implementation, Operation operation, JsonObject body) {
    Object[] args;
    try {
      args = operation.arguments(body);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(DomainException.invalid("invalid_request", "The request does not match " + operation.method().getName()
          + ": " + e.getMessage()));
    }
    try {
      Future<?> result = (Future<?>) operation.method().invoke(implementation, args);
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
