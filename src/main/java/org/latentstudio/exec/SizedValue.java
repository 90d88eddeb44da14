package org.latentstudio.exec;

/** A value that knows roughly how many bytes it holds, so the output cache can keep to its budget. */
public interface SizedValue {
  long byteSize();
}
