"""Writes Python's HTML5 named character references for the Java tokenizer's html unescaping.

CLIP's ``basic_clean`` calls ``html.unescape``, whose table is ``html.entities.html5`` (the WHATWG list,
including the legacy names without a semicolon). The Java side must decode exactly the same names, so it
reads this table instead of one of its own::

    /usr/bin/python3 src/python/reference/html5_entities.py

Output: ``src/main/resources/org/latentstudio/text/html5-entities.tsv``, one ``name<TAB>code points`` a
line (hex, space-separated), in the table's order.
"""
import html.entities
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
OUT = os.path.join(REPO, "src", "main", "resources", "org", "latentstudio", "text", "html5-entities.tsv")


def main() -> None:
    with open(OUT, "w", encoding="ascii", newline="\n") as f:
        f.write(f"# html.entities.html5 of Python {sys.version.split()[0]}; made by "
                "src/python/reference/html5_entities.py\n")
        for name, chars in html.entities.html5.items():
            f.write(name + "\t" + " ".join("%x" % ord(c) for c in chars) + "\n")
    print(f"{len(html.entities.html5)} entities -> {OUT}")


if __name__ == "__main__":
    main()
