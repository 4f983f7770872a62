"""Messages that say much the same thing, grouped: fifty ways of asking one thing are one line.

Lexical similarity: each distinct message is a TF-IDF vector of its words and of the letter
sequences (3 to 5) inside its words, so "salary", "salaries" and a typo of either still meet; two
groups merge while the average cosine similarity between their messages is at least `THRESHOLD`
(average-linkage clustering). Measured against all-MiniLM-L6-v2 sentence embeddings (the model
the NLU pipeline uses) on 2,400 everyday requests of 120 known intents (CLINC150, see
docs/insights.md): pairwise F1 0.55 against 0.59, in well under a second against about a minute
on two cores, so the report stays fast.

The `MAX_CLUSTERED` most frequent distinct messages are clustered; each rarer one joins the group
it is closest to on average, if close enough, or stays on its own.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

#: The average cosine similarity at which two groups merge (the best pairwise F1 on the measuring set).
THRESHOLD = 0.2
MAX_CLUSTERED = 2000
_PUNCTUATION_AT_ENDS = re.compile(r"^[\W_]+|[\W_]+$")


def normalised(text: str) -> str:
    """The form under which two messages count as the same: lower case, single spaces, no punctuation at the ends."""
    return _PUNCTUATION_AT_ENDS.sub("", " ".join(text.lower().split()))


@dataclass(frozen=True)
class Group:
    members: tuple[int, ...]  # indices into the texts grouped
    representative: int  # the member closest to the rest, counting each message: the group's headline


def group(texts: Sequence[str], *, threshold: float | None = None) -> list[Group]:
    """`texts` in groups of similar messages, the biggest group first."""
    threshold = THRESHOLD if threshold is None else threshold
    forms = [normalised(text) for text in texts]
    counts = Counter(forms)
    distinct = sorted(counts, key=lambda form: (-counts[form], form))
    if not distinct:
        return []
    vectors = _vectors(distinct) if len(distinct) > 1 else None
    labels = _cluster(vectors, threshold) if vectors is not None else [0]
    positions: dict[int, list[int]] = {}  # label -> positions in `distinct`
    for position, label in enumerate(labels):
        positions.setdefault(label, []).append(position)
    label_of = {form: label for form, label in zip(distinct, labels, strict=True)}
    members: dict[int, list[int]] = {}
    for index, form in enumerate(forms):
        members.setdefault(label_of[form], []).append(index)
    first = {form: index for index, form in reversed(list(enumerate(forms)))}
    groups = []
    for label, where in positions.items():
        central = _central(where, vectors, [counts[distinct[p]] for p in where])
        groups.append(Group(members=tuple(members[label]), representative=first[distinct[central]]))
    return sorted(groups, key=lambda g: (-len(g.members), g.members[0]))


def _central(positions: list[int], vectors: csr_matrix | None, weights: list[int]) -> int:
    """The position whose form is most similar to the group's messages, each counted as often as it was sent."""
    if vectors is None or len(positions) == 1:
        return positions[0]
    rows = vectors[positions]
    closeness = np.asarray((rows @ rows.T).todense()) @ np.asarray(weights, dtype=float)
    return positions[int(closeness.argmax())]


def _cluster(vectors: csr_matrix, threshold: float) -> list[int]:
    head = vectors[:MAX_CLUSTERED]
    labels = _average_linkage(head, threshold)
    if vectors.shape[0] > head.shape[0]:
        labels += _attach(vectors[head.shape[0]:], head, labels, threshold)
    return labels


def _vectors(texts: list[str]) -> csr_matrix:
    words = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)\b\w+\b").fit_transform(texts)
    letters = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(texts)
    combined: csr_matrix = normalize(hstack([words, letters]).tocsr())
    return combined


def _average_linkage(vectors: csr_matrix, threshold: float) -> list[int]:
    similarity = np.asarray((vectors @ vectors.T).todense())
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    condensed = distance[np.triu_indices(distance.shape[0], k=1)]
    tree = linkage(condensed, method="average")
    return [int(label) for label in fcluster(tree, t=1.0 - threshold, criterion="distance")]


def _attach(rest: csr_matrix, head: csr_matrix, labels: list[int], threshold: float) -> list[int]:
    """Each of `rest` in the group of `head` whose messages it is closest to on average, or a group of its own."""
    names = sorted(set(labels))
    row_of = {name: row for row, name in enumerate(names)}
    membership = csr_matrix((np.ones(len(labels)), ([row_of[label] for label in labels], np.arange(len(labels)))),
                            shape=(len(names), len(labels)))
    sizes = np.asarray(membership.sum(axis=1)).ravel()
    centroids = csr_matrix(membership.multiply(1.0 / sizes[:, None])) @ head  # a dot product with one is the average similarity
    closeness = np.asarray((rest @ centroids.T).todense())
    attached, new = [], max(labels) + 1
    for row in closeness:
        best = int(row.argmax())
        if row[best] >= threshold:
            attached.append(names[best])
        else:
            attached.append(new)
            new += 1
    return attached
