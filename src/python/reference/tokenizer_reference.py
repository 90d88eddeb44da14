"""Reference token ids for the Java CLIP tokenizer, made by the real reference code.

Runs OpenAI CLIP's ``clip/simple_tokenizer.py`` (with ftfy 6.x, both pure Python) over a fixed list of
prompts and writes ``src/test/resources/text/clip_reference.json``: each prompt with its ids, BOS and EOS
included, no padding, no truncation. With ``--comfy`` it also runs ComfyUI's prompt-weight parser
(``parse_parentheses`` / ``token_weights`` / ``escape_important`` / ``unescape_important`` from
``comfy/sd1_clip.py``, taken out of the file so that torch is not needed) and writes
``comfy_weights_reference.json``.

The fetched sources stay outside this repository. ``--deps`` names a folder holding ``clip/simple_tokenizer.py``
and ``ftfy/``; ``--comfy`` names ComfyUI's ``sd1_clip.py``::

    /usr/bin/python3 src/python/reference/tokenizer_reference.py \\
        --deps /work/pydeps-tok --comfy /work/pydeps-tok/comfy/sd1_clip.py

simple_tokenizer reads CLIP's gzipped merges; it is given the merges of ``--vocab`` (default
``../shared/clip-tokenizer``) instead, and the vocabulary it builds from them must equal that ``vocab.json``.
Needs ``python3-regex``.
"""
from __future__ import annotations

import argparse
import ast
import gzip
import importlib.util
import json
import os
import re
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

# A realistic SD prompt; repeated, it makes the long cases (hundreds of tokens).
LONG_PROMPT = (
    "masterpiece, best quality, ultra-detailed, 8k wallpaper, a lone lighthouse on a rocky cliff at dusk, "
    "dramatic storm clouds, crashing waves, volumetric light rays through the fog, cinematic composition, "
    "by greg rutkowski and alphonse mucha, trending on artstation, octane render, sharp focus"
)

PROMPTS = [
    # plain
    "a photo of a cat",
    "A Photo Of A CAT",
    "",
    "   \t\n  ",
    # punctuation and digits
    "Hello, world! How's it going?? ...yes... (maybe) [no] {ok} -- ~/path a+b=c #1 @home 100%",
    "!!!???...,,,;;;:::",
    "3.14159 and 2024-05-17, 1,000,000 pixels at 12:30pm; 12345678901234567890",
    "E=mc\u00b2 \u00bd \u00bc \u00b3 \u2460 \u2167 \u217b \u221e \u2260 \u00b1 \u0663\u0664",
    # accents and other scripts
    "caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, na\u00efve fa\u00e7ade, \u00c5ngstr\u00f6m, se\u00f1or M\u00fcller",
    "e\u0301cole cafe\u0301 A\u030angstro\u0308m",  # decomposed: NFC composes them
    "\u039f\u0394\u039f\u03a3 \u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2 \u03a3\u039f\u03a6\u039f\u03a3 "
    "\u039c\u03cc\u03bd\u03bf\u03c3.",  # final sigma when lower-casing
    "\u041c\u043e\u0441\u043a\u0432\u0430 \u0437\u0438\u043c\u043e\u0439, \u0645\u0631\u062d\u0628\u0627 "
    "\u0628\u0627\u0644\u0639\u0627\u0644\u0645, \u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f"
    "\u092f\u093e, \u05e9\u05dc\u05d5\u05dd, \u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35",
    "\u0130stanbul \u01c5emal \u00df STRASSE \u1e9e stra\u00dfe",
    "5 \u212a at 3 \u212b",  # Kelvin and Angstrom signs: NFC maps them to K and \u00c5
    "\u1fb3 a\u0345 x",  # U+0345 after a Latin letter matches none of CLIP's regex branches
    # emoji
    "a cat \U0001f431 with a hat \U0001f3a9 \U0001f3f3\ufe0f\u200d\U0001f308 \U0001f44d\U0001f3fd "
    "\u2764\ufe0f \U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 \U0001f1ef\U0001f1f5",
    "\U0001f525\U0001f525\U0001f525 fire",
    # html entities
    "salt &amp; pepper &lt;3 &quot;quoted&quot; &apos;single&apos;",
    "&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt;",  # double-escaped
    "&amp;amp;amp;amp;lt; deeply escaped",
    "&#169; 2024 &#x2764; &#8217;tis &#X41;&#66;",
    "&#128; &#0; &#x110000; &#xD800; &#1; &#65;&#66",
    "fish &amp chips &copy 2024 &notit; &notin; caf&eacute;",  # no semicolon, longest prefix
    "P&EACUTE;REZ &NTILDE; &nTILDE;",  # ftfy's upper-case entities
    "<b>bold</b> &amp;amp; &lt;i&gt;",  # a '<' turns ftfy's unescaping off; CLIP still unescapes twice
    "first &amp;amp;amp; line\nsecond <tag> &amp;amp;amp;\nthird &amp;amp;amp;",
    # whitespace
    "  lots    of     spaces   ",
    "line one\nline two\r\nline three\ttabbed\u2028separated\u2029paragraph\rold mac\u000bvt\u000cff",
    "no\u00a0break\u202fnarrow\u3000ideographic\u2003em\u200bzero width",
    # quotes
    "\u201cHello\u201d she said, \u2018it\u2019s fine\u2019 \u201alow\u201b \u201ex\u201f \u02bcmodifier",
    "don't stop'n'roll 'quoted' ''double'' ''' it'\u017f fine",
    # fullwidth and CJK
    "\uff2c\uff2f\uff35\uff24\u3000\uff2e\uff2f\uff29\uff33\uff25\uff33 \uff11\uff12\uff13 \uff21\uff42\uff43"
    "\uff01\uff1f \uff76\uff80\uff76\uff85 \uff73\uff9e \uffe5\uffe0",
    "\u4e00\u53ea\u53ef\u7231\u7684\u732b \u6771\u4eac\u30bf\u30ef\u30fc \uc11c\uc6b8\uc758 \ubc24 "
    "\u3053\u3093\u306b\u3061\u306f\u4e16\u754c",
    # contractions
    "I'm sure you'll see they've done it, he'd say it's what we're after. DON'T Can'T I'LL",
    "'s 't 're 've 'm 'll 'd 'x 'S",
    # special tokens in the text
    "a cat <|endoftext|> a dog <|startoftext|> end",
    "foo<|endoftext|>bar <|ENDOFTEXT|> <|endoftext| > <|startoftext|><|endoftext|>",
    # ftfy fixes
    "\ufb01ne \ufb02owers \ufb00 \ufb03 \ufb04 \ufb05 \ufb06 \u0132ssel \u01c6 \u01cc",
    "a\u0000b\u0007c\u007fd\ufeff e\ufffcf\u206ag \u001b[31mred\u001b[0m text",
    "price \u0080 5 and \u0093quoted\u0094 then\u0085next",
    "bad \ud83d surrogate",
    # prompt syntax seen by the plain tokenizer
    "(masterpiece:1.2), ((best quality)), [lowres], \\(escaped\\), embedding:foo",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    # long
    LONG_PROMPT,
    ", ".join([LONG_PROMPT] * 3),
    " ".join(f"word{i}" for i in range(150)),
]


def load_simple_tokenizer(deps: str):
    """Import clip/simple_tokenizer.py by path: clip/__init__.py would import torch and torchvision."""
    sys.path.insert(0, deps)  # for ftfy
    path = os.path.join(deps, "clip", "simple_tokenizer.py")
    spec = importlib.util.spec_from_file_location("simple_tokenizer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_tokenizer(module, vocab_dir: str):
    with open(os.path.join(vocab_dir, "merges.txt"), encoding="utf-8") as f:
        merges_text = f.read()
    with tempfile.TemporaryDirectory() as tmp:
        gz = os.path.join(tmp, "merges.txt.gz")
        with gzip.open(gz, "wb") as f:
            f.write(merges_text.encode("utf-8"))
        tokenizer = module.SimpleTokenizer(gz)
    with open(os.path.join(vocab_dir, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    if tokenizer.encoder != vocab:
        sys.exit(f"the vocabulary simple_tokenizer builds from {vocab_dir}/merges.txt differs from vocab.json")
    return tokenizer


def load_comfy_weights(sd1_clip: str):
    """The four prompt-weight functions of ComfyUI's sd1_clip.py, without importing the module (torch)."""
    wanted = {"parse_parentheses", "token_weights", "escape_important", "unescape_important"}
    with open(sd1_clip, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    functions = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in wanted]
    if {f.name for f in functions} != wanted:
        sys.exit(f"{sd1_clip} lacks some of {sorted(wanted)}")
    namespace: dict = {}
    exec(compile(ast.Module(body=functions, type_ignores=[]), sd1_clip, "exec"), namespace)
    return namespace


WEIGHT_PROMPTS = [
    "a photo of a cat",
    "",
    "a (red) cat",
    "a ((red)) cat",
    "a (((red))) cat",
    "a (red:1.3) cat",
    "a (red cat:0.5), (blue dog:1.25)",
    "(a (b):1.5) c",
    "((word:1.5))",
    "(word:1.5 )",
    "(word: 2)",
    "(word:-1)",
    "(word:1e-1)",
    "(a:b)",
    "(:1.3)",
    "(a:b:1.2)",
    "()",
    "a \\(literal\\) b",
    "\\((weighted)\\)",
    "a (b c",
    "a b) c",
    "a) (b) c",
    "((a) b",
    "(a)) b (c)",
    "masterpiece, (best quality:1.2), ((detailed)), a (cat:1.1) on a (mat)",
    "multi\nline (prompt)\n(here:0.8)",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deps", default=os.environ.get("LS_TOKENIZER_DEPS"),
                        help="folder with clip/simple_tokenizer.py and ftfy/ (or $LS_TOKENIZER_DEPS)")
    parser.add_argument("--vocab", default=os.path.join(REPO, "..", "shared", "clip-tokenizer"),
                        help="folder with vocab.json and merges.txt")
    parser.add_argument("--comfy", help="ComfyUI's comfy/sd1_clip.py; writes comfy_weights_reference.json too")
    parser.add_argument("--out", default=os.path.join(REPO, "src", "test", "resources", "text"))
    args = parser.parse_args()
    if not args.deps:
        sys.exit("give --deps DIR (a folder with clip/simple_tokenizer.py and ftfy/) or set LS_TOKENIZER_DEPS")

    module = load_simple_tokenizer(args.deps)
    import ftfy  # noqa: E402  (from --deps)

    tokenizer = make_tokenizer(module, args.vocab)
    bos, eos = tokenizer.encoder["<|startoftext|>"], tokenizer.encoder["<|endoftext|>"]
    cases = [{"prompt": p, "ids": [bos, *tokenizer.encode(p), eos]} for p in PROMPTS]
    reference = {
        "about": "ids from openai/CLIP clip/simple_tokenizer.py with ftfy " + ftfy.__version__
                 + " over ../shared/clip-tokenizer; BOS and EOS included, no padding. Made by "
                 "src/python/reference/tokenizer_reference.py; do not edit by hand.",
        "cases": cases,
    }
    os.makedirs(args.out, exist_ok=True)
    write_json(os.path.join(args.out, "clip_reference.json"), reference)
    print(f"{len(cases)} prompts, longest {max(len(c['ids']) for c in cases)} ids")

    if args.comfy:
        comfy = load_comfy_weights(args.comfy)

        def parse(prompt):
            pairs = comfy["token_weights"](comfy["escape_important"](prompt), 1.0)
            return [[comfy["unescape_important"](text), weight] for text, weight in pairs]

        weights = {
            "about": "segments from ComfyUI comfy/sd1_clip.py token_weights(escape_important(prompt), 1.0), "
                     "each text passed through unescape_important. Made by "
                     "src/python/reference/tokenizer_reference.py; do not edit by hand.",
            "cases": [{"prompt": p, "segments": parse(p)} for p in WEIGHT_PROMPTS],
        }
        write_json(os.path.join(args.out, "comfy_weights_reference.json"), weights)
        print(f"{len(WEIGHT_PROMPTS)} weighted prompts")


def write_json(path: str, data) -> None:
    """One case per line, so that a diff of the file shows which prompts changed."""
    cases = ",\n  ".join(json.dumps(c, ensure_ascii=False) for c in data["cases"])
    text = '{\n "about": %s,\n "cases": [\n  %s\n ]\n}' % (json.dumps(data["about"]), cases)
    # Lone surrogates cannot be written as UTF-8; JSON's \\u escape keeps them.
    text = re.sub("[\ud800-\udfff]", lambda m: "\\u%04x" % ord(m.group(0)), text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
