package sn.wolo.web;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.StringWriter;
import java.util.Map;

/**
 * The guest pages' Mustache templates ({@code src/main/resources/web}), compiled once on a worker
 * (reading the classpath is I/O) and rendered with HTML escaping of every value.
 */
final class HtmlTemplates {

  private final Map<String, Mustache> compiled;

  private HtmlTemplates(Map<String, Mustache> compiled) {
    this.compiled = compiled;
  }

  static Future<HtmlTemplates> load(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      DefaultMustacheFactory factory = new DefaultMustacheFactory("web");
      return new HtmlTemplates(Map.of("pot", factory.compile("pot.mustache"), "donation", factory.compile("donation.mustache"),
          "not-found", factory.compile("not-found.mustache")));
    }, false);
  }

  String render(String name, Map<String, Object> scope) {
    StringWriter out = new StringWriter();
    compiled.get(name).execute(out, scope);
    return out.toString();
  }
}
