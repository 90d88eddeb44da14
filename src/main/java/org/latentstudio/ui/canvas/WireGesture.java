package org.latentstudio.ui.canvas;

import java.util.List;
import java.util.Optional;
import javafx.geometry.Point2D;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseEvent;
import javafx.scene.paint.Color;
import org.latentstudio.edit.AddNodes;
import org.latentstudio.edit.Composite;
import org.latentstudio.edit.Connect;
import org.latentstudio.edit.Disconnect;
import org.latentstudio.edit.LinkRules;
import org.latentstudio.edit.NodeFactory;
import org.latentstudio.edit.PortMatching;
import org.latentstudio.graph.Link;
import org.latentstudio.graph.Node;
import org.latentstudio.graph.NodeSchema;
import org.latentstudio.graph.PortRef;
import org.latentstudio.graph.PortType;
import org.latentstudio.graph.Vec2;
import org.latentstudio.ui.Palette;
import org.latentstudio.ui.search.NodeSearchBox;

/**
 * Drawing a wire from a port. Over a compatible port (or a node with one) the wire snaps to it; over an
 * incompatible one it turns red and the reason shows by the pointer. Released on empty canvas, it opens
 * the node search filtered to types that fit and connects the chosen node.
 */
final class WireGesture implements Gesture {
  private final GraphCanvas c;
  private final PortHandle fixed;
  private final Link detached;
  private final PortType carried;
  private Point2D cursor;
  private PortHandle target;
  private LinkRules.Verdict verdict;

  private WireGesture(GraphCanvas c, PortHandle fixed, Link detached, Point2D cursor) {
    this.c = c;
    this.fixed = fixed;
    this.detached = detached;
    this.cursor = cursor;
    this.carried = fixed.input() ? fixed.type() : c.validator().outputType(c.graph(), fixed.ref());
  }

  static WireGesture start(GraphCanvas c, PortHandle pressed, Point2D wp) {
    if (pressed.input()) {
      Optional<Link> existing = c.graph().linkInto(pressed.ref());
      if (existing.isPresent()) {
        // pick up the end of an existing wire: it can be dropped elsewhere, or on empty canvas to remove it
        Link l = existing.get();
        PortType t = c.validator().outputType(c.graph(), l.from());
        return new WireGesture(c, new PortHandle(l.from().node(), l.from().port(), false, t), l, wp);
      }
    }
    return new WireGesture(c, pressed, null, wp);
  }

  boolean fromOutput() {
    return !fixed.input();
  }

  @Override
  public void drag(Point2D screen, MouseEvent e) {
    cursor = c.screenToWorld(screen);
    findTarget();
    if (verdict != null && !verdict.allowed()) {
      c.showHint(verdict.reason(), screen);
    } else {
      c.pointerHint().hide();
    }
    c.requestRedraw();
  }

  private void findTarget() {
    target = null;
    verdict = null;
    PortHandle p = c.hits().portAt(cursor);
    if (p != null && p.input() == fromOutput() && !p.node().equals(fixed.node())) {
      target = p;
    } else {
      NodeView v = c.hits().nodeAt(cursor);
      if (v != null && !v.node().id().equals(fixed.node())) {
        target = bestPortOn(v);
      }
    }
    if (target != null) {
      verdict = fromOutput() ? c.rules().check(c.graph(), fixed.ref(), target.ref())
          : c.rules().check(c.graph(), target.ref(), fixed.ref());
    }
  }

  /** Dropping on a node's body picks its first port that fits, else its first port of that side. */
  private PortHandle bestPortOn(NodeView v) {
    PortHandle first = null;
    for (PortHandle h : v.portHandles()) {
      if (h.input() != fromOutput()) {
        continue;
      }
      if (first == null) {
        first = h;
      }
      LinkRules.Verdict vd = fromOutput() ? c.rules().check(c.graph(), fixed.ref(), h.ref())
          : c.rules().check(c.graph(), h.ref(), fixed.ref());
      if (vd.allowed() && (!h.input() || c.graph().linkInto(h.ref()).isEmpty() || h.type() != PortType.ANY)) {
        if (h.input() && c.graph().linkInto(h.ref()).isPresent()) {
          continue;
        }
        return h;
      }
    }
    return first;
  }

  @Override
  public Link hiddenLink() {
    return detached;
  }

  @Override
  public void paintOver(GraphicsContext g) {
    NodeView v = c.views().get(fixed.node());
    if (v == null) {
      return;
    }
    Point2D anchor = v.portPosition(fixed.port(), fixed.input());
    Point2D end = cursor;
    if (target != null && verdict != null && verdict.allowed()) {
      NodeView tv = c.views().get(target.node());
      end = tv.portPosition(target.port(), target.input());
    }
    Point2D a = fromOutput() ? anchor : end;
    Point2D b = fromOutput() ? end : anchor;
    boolean refused = verdict != null && !verdict.allowed();
    Color col = refused ? Palette.DANGER : Palette.of(carried);
    double dx = Math.max(40, Math.abs(b.getX() - a.getX()) * 0.5);
    g.setStroke(col);
    g.setLineWidth(3 * Math.max(1, 0.6 / c.zoom()));
    g.setLineDashes(refused ? new double[] {8, 6} : null);
    g.beginPath();
    g.moveTo(a.getX(), a.getY());
    g.bezierCurveTo(a.getX() + dx, a.getY(), b.getX() - dx, b.getY(), b.getX(), b.getY());
    g.stroke();
    g.setLineDashes(null);
    if (target != null) {
      NodeView tv = c.views().get(target.node());
      Point2D p = tv.portPosition(target.port(), target.input());
      g.setStroke(refused ? Palette.DANGER : Palette.SUCCESS);
      g.setLineWidth(2.5);
      g.strokeOval(p.getX() - 9, p.getY() - 9, 18, 18);
      if (refused) {
        g.strokeLine(p.getX() - 5, p.getY() - 5, p.getX() + 5, p.getY() + 5);
        g.strokeLine(p.getX() - 5, p.getY() + 5, p.getX() + 5, p.getY() - 5);
      }
    }
  }

  /** The verdict for the port under the pointer, if any: what the canvas shows while dragging. */
  LinkRules.Verdict verdict() {
    return verdict;
  }

  @Override
  public void release(Point2D screen, MouseEvent e) {
    cursor = c.screenToWorld(screen);
    findTarget();
    c.requestRedraw();
    if (target != null) {
      if (!verdict.allowed()) {
        c.showHint("Refused: " + verdict.reason(), screen);
        c.host().status("Link refused: " + verdict.reason());
        c.wireRefused(verdict.reason());
        return;
      }
      Link link = fromOutput() ? new Link(fixed.ref(), target.ref()) : new Link(target.ref(), fixed.ref());
      if (link.equals(detached)) {
        return;
      }
      if (detached != null) {
        c.document().execute(Composite.of("Move link to " + link.to(), new Disconnect(detached.to()), new Connect(link)));
      } else {
        c.document().execute(new Connect(link));
      }
      return;
    }
    if (detached != null) {
      c.document().execute(new Disconnect(detached.to()));
      return;
    }
    if (c.hits().nodeAt(cursor) != null) {
      return;
    }
    openFilteredSearch(screen);
  }

  private void openFilteredSearch(Point2D screen) {
    Point2D wp = cursor;
    List<NodeSearchBox.Entry> entries = (fromOutput()
        ? PortMatching.inputsAccepting(c.catalog(), carried)
        : PortMatching.outputsFeeding(c.catalog(), carried)).stream()
        .map(m -> new NodeSearchBox.Entry(m.schema(), m.port(), carried))
        .toList();
    String title = (fromOutput() ? "Nodes that take " : "Nodes that give ") + carried;
    c.searchPopup().show(screen, title, entries, entry -> {
      NodeSchema s = entry.schema();
      Vec2 size = NodeLayout.preferredSize(s);
      // put the new node so that its port lands near where the wire was dropped
      Vec2 at = fromOutput() ? new Vec2(wp.getX(), wp.getY() - NodeLayout.TITLE_H)
          : new Vec2(wp.getX() - size.x(), wp.getY() - NodeLayout.TITLE_H);
      Node n = NodeFactory.create(c.graph(), s, at, size);
      Link link = fromOutput() ? new Link(fixed.ref(), new PortRef(n.id(), entry.port()))
          : new Link(new PortRef(n.id(), entry.port()), fixed.ref());
      c.document().execute(Composite.of("Add " + s.displayName() + " and connect", AddNodes.one(n), new Connect(link)));
      c.selection().clear();
      c.selection().add(n.id());
    });
  }

  @Override
  public void cancel() {
    c.pointerHint().hide();
  }
}
