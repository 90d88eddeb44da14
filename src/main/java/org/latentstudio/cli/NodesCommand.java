package org.latentstudio.cli;

import java.util.concurrent.Callable;
import org.latentstudio.app.AppContext;
import org.latentstudio.graph.InputSpec;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.OutputSpec;
import org.latentstudio.graph.WidgetValues;
import org.latentstudio.io.CatalogJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code latentstudio nodes [--json]}: the node catalog. */
@Command(name = "nodes", description = "List the node types, by category.")
final class NodesCommand implements Callable<Integer> {
  private final AppContext app;

  @Option(names = "--json", description = "Print the full catalog as JSON, for tools.")
  boolean json;

  @Spec
  CommandSpec spec;

  NodesCommand(AppContext app) {
    this.app = app;
  }

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    if (json) {
      out.print(CatalogJson.write(app.registry()));
      out.flush();
      return LatentStudioCommand.OK;
    }
    String category = null;
    for (NodeSchema s : app.registry().schemas()) {
      if (!s.category().equals(category)) {
        category = s.category();
        out.println(category);
      }
      out.println("  " + s.typeId() + (s.typeId().equals(s.displayName()) ? "" : "  (" + s.displayName() + ")"));
      for (InputSpec in : s.inputs()) {
        out.println("      in  " + in.name() + ": " + in.type() + describe(in));
      }
      for (OutputSpec o : s.outputs()) {
        out.println("      out " + o.name() + ": " + o.type());
      }
    }
    out.flush();
    return LatentStudioCommand.OK;
  }

  private static String describe(InputSpec in) {
    StringBuilder sb = new StringBuilder();
    if (in.hasChoices()) {
      sb.append(" one of ").append(String.join("|", in.choices()));
    }
    if (in.defaultValue() != null && !(in.defaultValue() instanceof String s && s.isEmpty())) {
      sb.append(" = ").append(WidgetValues.format(in.defaultValue()));
    }
    if (in.min() != null && in.max() != null && in.max().doubleValue() < 1e15) {
      sb.append(" [").append(WidgetValues.format(in.min())).append("..").append(WidgetValues.format(in.max()))
          .append(']');
    }
    if (in.optional()) {
      sb.append(" (optional)");
    }
    return sb.toString();
  }
}
