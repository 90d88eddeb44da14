package org.latentstudio.interop.comfy;

import java.util.Locale;
import org.latentstudio.graph.PortType;

/** Port types by the names ComfyUI gives them: the same words, except "*" for anything and IPADAPTER. */
public final class ComfyTypes {
  private ComfyTypes() {}

  public static String name(PortType type) {
    return switch (type) {
      case ANY -> "*";
      case IP_ADAPTER -> "IPADAPTER";
      default -> type.name();
    };
  }

  /** Our type for a ComfyUI type name; COMBO (a list widget) is a STRING here, unknown names are ANY. */
  public static PortType of(String comfy) {
    if (comfy == null) {
      return PortType.ANY;
    }
    String t = comfy.toUpperCase(Locale.ROOT);
    return switch (t) {
      case "*", "" -> PortType.ANY;
      case "COMBO" -> PortType.STRING;
      case "IPADAPTER" -> PortType.IP_ADAPTER;
      default -> {
        try {
          yield PortType.valueOf(t);
        } catch (IllegalArgumentException e) {
          yield PortType.ANY;
        }
      }
    };
  }
}
