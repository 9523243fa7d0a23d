package sn.wolo.notification;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import io.vertx.core.json.JsonObject;
import sn.wolo.platform.errors.DomainException;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;

/**
 * Renders notification templates with Mustache. Every variable a template declares must be given:
 * a missing one is an error, never an empty hole in a message sent to a customer. Text bodies (SMS,
 * WhatsApp, plain email) are not HTML-escaped; HTML bodies are.
 */
public final class TemplateRenderer {

  private static final MustacheFactory HTML = new DefaultMustacheFactory();
  private static final MustacheFactory TEXT = new DefaultMustacheFactory() {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  /** Compiled templates, by factory, name and text: compiling is the expensive part of rendering. */
  private static final Map<String, Mustache> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

  private TemplateRenderer() {
  }

  public static String text(String name, String template, JsonObject declared, JsonObject data) {
    return render(TEXT, name, template, declared, data);
  }

  public static String html(String name, String template, JsonObject declared, JsonObject data) {
    return render(HTML, name, template, declared, data);
  }

  private static String render(MustacheFactory factory, String name, String template, JsonObject declared, JsonObject data) {
    if (template == null) return null;
    if (declared != null) {
      for (String variable : declared.fieldNames()) {
        if (data.getValue(variable) == null) {
          throw DomainException.invalid("missing_template_variable", "Template " + name + " needs variable " + variable + ".");
        }
      }
    }
    String key = (factory == HTML ? "html:" : "text:") + name + ":" + template;
    Mustache m = COMPILED.computeIfAbsent(key, k -> factory.compile(new StringReader(template), name));
    StringWriter out = new StringWriter();
    m.execute(out, Map.copyOf(data.getMap()));
    return out.toString();
  }
}
