"""Names for clusters, from a column of the table: a category column's majority value and its share
("logging 92%"), a text column's most distinctive terms (class-based TF-IDF, as BERTopic names its
topics), a numeric column's median. Pure numpy and scikit-learn: values in, strings out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Terms named per cluster of a text column.
TERMS = 3
#: Documents read per cluster (a random sample above it): the terms of 500 paragraphs are stable,
#: and the vocabulary of a million would cost more than the clustering.
DOCS_PER_CLUSTER = 500
#: Characters read per document.
DOC_CHARS = 2_000
#: A term names a cluster only if its share of the cluster's words is this many times its share
#: of all words.
LIFT = 1.5
#: Words only (no numbers, no one-letter tokens).
TOKENS = r"(?u)\b[^\W\d_][^\W\d_]+\b"


def numbered(count: int) -> list[str]:
    """Names for clusters when no column names them."""
    return [f"cluster {i}" for i in range(count)]


def majority_names(
    labels: np.ndarray, count: int, codes: np.ndarray, categories: Sequence[str]
) -> list[str]:
    """Each cluster's most frequent category with its share of the cluster, e.g. "logging 92%"."""
    inside = labels >= 0
    table = np.zeros((count, len(categories)), dtype=np.int64)
    np.add.at(table, (labels[inside], np.asarray(codes)[inside].astype(np.int64)), 1)
    names = []
    for row in table:
        total = int(row.sum())
        top = int(row.argmax())
        names.append(f"{categories[top]} {100 * row[top] / total:.0f}%" if total else "")
    return names


def median_names(labels: np.ndarray, count: int, values: np.ndarray, column: str) -> list[str]:
    """Each cluster's median of a numeric column, e.g. "length 212"."""
    values = np.asarray(values, dtype=np.float64)
    names = []
    for members in _members(labels, count):
        inside = values[members]
        inside = inside[np.isfinite(inside)]
        names.append(f"{column} {np.median(inside):.3g}" if inside.size else "")
    return names


def term_names(labels: np.ndarray, count: int, texts: Sequence[object], seed: int = 0) -> list[str]:
    """Each cluster's ``TERMS`` most distinctive words against the other clusters.

    Class-based TF-IDF: a term's frequency in the cluster's documents, weighted by
    ``log(1 + A / f)`` where ``f`` is its frequency over all clusters and ``A`` the average
    number of words per cluster. Common English words are left out.
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    rows = _sampled_rows(labels, count, seed)
    if not len(rows):
        return [""] * count
    docs = [_text(texts[int(i)]) for i in rows]
    vectorizer = CountVectorizer(
        stop_words="english", token_pattern=TOKENS, min_df=2 if len(docs) >= 50 else 1
    )
    try:
        words = vectorizer.fit_transform(docs)
    except ValueError:  # no word at all (empty or numeric texts)
        return [""] * count
    member = sparse.csr_matrix(
        (np.ones(len(rows)), (labels[rows], np.arange(len(rows)))), shape=(count, len(rows))
    )
    counts = np.asarray((member @ words).todense(), dtype=np.float64)  # clusters x terms
    per_cluster = counts.sum(axis=1, keepdims=True)
    frequency = np.maximum(counts.sum(axis=0), 1.0)
    average = counts.sum() / max(count, 1)
    share = counts / np.maximum(per_cluster, 1.0)
    scores = share * np.log1p(average / frequency)
    # a word no more frequent in the cluster than overall names nothing (it is everywhere)
    distinct = share >= LIFT * frequency / max(counts.sum(), 1.0) if count > 1 else share > 0
    scores[~distinct | (counts == 0)] = -1.0
    vocabulary = vectorizer.get_feature_names_out()
    names = []
    for row in scores:
        top = [int(t) for t in np.argsort(-row, kind="stable")[:TERMS] if row[t] > 0]
        names.append(", ".join(str(vocabulary[t]) for t in top))
    return names


def _sampled_rows(labels: np.ndarray, count: int, seed: int) -> np.ndarray:
    """Up to ``DOCS_PER_CLUSTER`` rows of each cluster (noise left out), in row order."""
    rng = np.random.default_rng(seed)
    chosen = []
    for members in _members(labels, count):
        if len(members) > DOCS_PER_CLUSTER:
            members = rng.choice(members, DOCS_PER_CLUSTER, replace=False)
        chosen.append(members)
    return np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=np.int64)


def _members(labels: np.ndarray, count: int) -> list[np.ndarray]:
    """The rows of each cluster, in row order (one sort, not a pass per cluster)."""
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(count + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(count)]


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)[:DOC_CHARS]
