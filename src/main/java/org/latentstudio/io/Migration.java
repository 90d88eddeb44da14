package org.latentstudio.io;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One step of the file format's history: turns a version {@link #from()} file into a version from()+1 file. */
interface Migration {
  int from();

  /** Rewrites the tree in place. */
  void apply(ObjectNode workflow) throws WorkflowFormatException;
}
