package org.latentstudio.app;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Opening the studio where there is no screen says so and what to use instead, not a stack trace. */
class MainTest {
  @Test
  void noScreenOnLinuxIsToldWithTheCommandLineInstead() {
    String told = Main.noDisplay(Map.of("HOME", "/home/u"), "Linux", null);
    assertTrue(told.contains("DISPLAY and WAYLAND_DISPLAY are not set"), told);
    assertTrue(told.contains("latentstudio run WORKFLOW.json"), told);
    assertNull(Main.noDisplay(Map.of("DISPLAY", ":0"), "Linux", null));
    assertNull(Main.noDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux", null));
    assertTrue(Main.noDisplay(Map.of("DISPLAY", " "), "Linux", null) != null, "a blank DISPLAY is none");
    assertNull(Main.noDisplay(Map.of(), "Mac OS X", null));
    assertNull(Main.noDisplay(Map.of(), "Windows 11", null));
    assertNull(Main.noDisplay(Map.of(), "Linux", "Monocle"), "a chosen JavaFX platform needs no display");
  }
}
