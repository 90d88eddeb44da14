"""CLIP-format BPE vocabularies and a pure-Python CLIP tokenizer.

The vocabulary layout is the one OpenAI CLIP's ``simple_tokenizer.py`` builds (and Hugging Face's
``CLIPTokenizer`` reads): the 256 byte-level symbols in ``bytes_to_unicode`` order, the same 256 with
``</w>``, one token per merge (the pair joined), then ``<|startoftext|>`` and ``<|endoftext|>`` as the
last two ids. Merges are learnt here from a word list instead of CLIP's 16e6 corpus, so small test and
toy models get a small vocabulary that still goes through the exact same tokenizer code path.

The ``Tokenizer`` follows ``simple_tokenizer.SimpleTokenizer`` (basic_clean, whitespace_clean, lower,
CLIP regex, byte-level encoding, BPE with ``</w>``), then frames and pads like SD1.5's tokenizer:
``[BOS] + tokens[:75] + [EOS]`` padded with EOS to 77. ftfy is not available, so ``basic_clean`` only
does the ``html.unescape`` part; that changes nothing for plain ASCII prompts.
"""
from __future__ import annotations

import html
import json
import os
from collections import Counter
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import regex

BOS = "<|startoftext|>"
EOS = "<|endoftext|>"
MODEL_MAX_LENGTH = 77
END_OF_WORD = "</w>"
MERGES_HEADER = "#version: 0.2"

# CLIP's pattern, compiled with IGNORECASE as in simple_tokenizer.py.
CLIP_PATTERN = regex.compile(
    r"""<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""",
    regex.IGNORECASE,
)


def bytes_to_unicode() -> Dict[int, str]:
    """CLIP/GPT-2 byte -> printable unicode char table; its value order is the vocabulary order."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(2 ** 8):
        if b not in bs:
            bs.append(b)
            cs.append(2 ** 8 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENCODER = bytes_to_unicode()
BYTE_DECODER = {v: k for k, v in BYTE_ENCODER.items()}


def clean_text(text: str) -> str:
    """basic_clean (without ftfy) + whitespace_clean + lower, as SimpleTokenizer.encode does."""
    text = html.unescape(html.unescape(text)).strip()
    text = regex.sub(r"\s+", " ", text).strip()
    return text.lower()


def pre_tokenize(text: str) -> List[str]:
    """Split cleaned text into the byte-encoded pieces that BPE runs on (one per regex match)."""
    return ["".join(BYTE_ENCODER[b] for b in piece.encode("utf-8")) for piece in CLIP_PATTERN.findall(clean_text(text))]


# ---------------------------------------------------------------------------------------------------
# Vocabulary building


def _merge_word(word: Tuple[str, ...], pair: Tuple[str, str]) -> Tuple[str, ...]:
    first, second = pair
    out: List[str] = []
    i = 0
    while i < len(word):
        if i < len(word) - 1 and word[i] == first and word[i + 1] == second:
            out.append(first + second)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return tuple(out)


def learn_merges(texts: Iterable[str], max_merges: Optional[int] = None) -> List[Tuple[str, str]]:
    """Learn BPE merges over the words of ``texts`` until each word is one token or the budget is hit.

    Words are the pieces the tokenizer itself produces (``pre_tokenize``), each ending in ``</w>``.
    Each round merges the most frequent adjacent pair (counted over word frequencies); ties go to the
    lexicographically smallest pair, so the result depends only on the input multiset.
    """
    counts = Counter()
    for text in texts:
        for piece in pre_tokenize(text):
            counts[piece] += 1
    words = {tuple(p[:-1]) + (p[-1] + END_OF_WORD,): c for p, c in counts.items()}
    merges: List[Tuple[str, str]] = []
    while max_merges is None or len(merges) < max_merges:
        pairs: Counter = Counter()
        for word, freq in words.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] += freq
        if not pairs:
            break  # every word is a single token
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        merges.append(best)
        merged: Dict[Tuple[str, ...], int] = {}
        for word, freq in words.items():
            new = _merge_word(word, best) if len(word) > 1 else word
            merged[new] = merged.get(new, 0) + freq
        words = merged
    return merges


def vocab_from_merges(merges: Sequence[Tuple[str, str]]) -> Dict[str, int]:
    """Token -> id in CLIP order: bytes, bytes+</w>, merges, then BOS and EOS last."""
    tokens = list(BYTE_ENCODER.values())
    tokens += [t + END_OF_WORD for t in tokens]
    tokens += ["".join(m) for m in merges]
    tokens += [BOS, EOS]
    vocab: Dict[str, int] = {}
    for t in tokens:
        # Two merges can spell the same string ((ab, c) and (a, bc)); the merge is still needed for
        # segmentation, but the token keeps its first id so that ids stay contiguous.
        vocab.setdefault(t, len(vocab))
    return vocab


def build_vocab(texts: Iterable[str], max_merges: Optional[int] = None) -> Tuple[Dict[str, int], List[Tuple[str, str]]]:
    """Learn merges from ``texts`` and return ``(vocab, merges)`` in CLIP format."""
    merges = learn_merges(texts, max_merges)
    return vocab_from_merges(merges), merges


def write_vocab(folder: str, vocab: Dict[str, int], merges: Sequence[Tuple[str, str]]) -> None:
    """Write ``vocab.json`` and ``merges.txt`` (with the ``#version: 0.2`` header) into ``folder``."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write(MERGES_HEADER + "\n")
        for a, b in merges:
            f.write(f"{a} {b}\n")


def read_vocab(folder: str) -> Tuple[Dict[str, int], List[Tuple[str, str]]]:
    """Read ``vocab.json`` and ``merges.txt`` from a tokenizer folder."""
    with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    with open(os.path.join(folder, "merges.txt"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    merges = [tuple(line.split()) for line in lines[1:] if line.strip()]
    return vocab, merges


# ---------------------------------------------------------------------------------------------------
# Tokenizer


class Tokenizer:
    """CLIP simple_tokenizer algorithm over any CLIP-format vocabulary.

    ``encode(text)`` gives the bare BPE ids; ``__call__(text)`` gives the 77 ids SD1.5 feeds its text
    encoder (BOS, at most 75 tokens, EOS, then EOS padding).
    """

    def __init__(self, vocab: Dict[str, int], merges: Sequence[Tuple[str, str]], max_length: int = MODEL_MAX_LENGTH):
        self.encoder = dict(vocab)
        self.decoder = {v: k for k, v in self.encoder.items()}
        self.bpe_ranks = {tuple(m): i for i, m in enumerate(merges)}
        self.max_length = max_length
        self.bos_token_id = self.encoder[BOS]
        self.eos_token_id = self.encoder[EOS]
        self.pad_token_id = self.eos_token_id  # SD1.5 pads with <|endoftext|>
        self.cache = {BOS: BOS, EOS: EOS}

    @classmethod
    def from_folder(cls, folder: str, max_length: int = MODEL_MAX_LENGTH) -> "Tokenizer":
        vocab, merges = read_vocab(folder)
        return cls(vocab, merges, max_length)

    @property
    def vocab_size(self) -> int:
        return len(self.encoder)

    def bpe(self, token: str) -> str:
        """SimpleTokenizer.bpe: apply the lowest-ranked merge until none applies; space-joined parts."""
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + END_OF_WORD,)
        while len(word) > 1:
            pairs = set(zip(word, word[1:]))
            bigram = min(pairs, key=lambda p: self.bpe_ranks.get(p, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            word = _merge_word(word, bigram)
        result = " ".join(word)
        self.cache[token] = result
        return result

    def tokenize(self, text: str) -> List[str]:
        out: List[str] = []
        for piece in pre_tokenize(text):
            out.extend(self.bpe(piece).split(" "))
        return out

    def encode(self, text: str) -> List[int]:
        """BPE ids of ``text`` without BOS/EOS."""
        return [self.encoder[t] for t in self.tokenize(text)]

    def decode(self, ids: Iterable[int]) -> str:
        """Text of ``ids``, special tokens dropped (SimpleTokenizer.decode)."""
        text = "".join(self.decoder[i] for i in ids if i not in (self.bos_token_id, self.eos_token_id))
        raw = bytearray(BYTE_DECODER[c] for c in text)
        return raw.decode("utf-8", errors="replace").replace(END_OF_WORD, " ").strip()

    def __call__(self, text: str) -> List[int]:
        """SD1.5 framing: [BOS] + ids[:max_length-2] + [EOS], padded with EOS to ``max_length``."""
        ids = self.encode(text)[: self.max_length - 2]
        ids = [self.bos_token_id] + ids + [self.eos_token_id]
        return ids + [self.pad_token_id] * (self.max_length - len(ids))
