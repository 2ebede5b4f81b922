"""Independent blocks of a MILP: specialties that share no row are separate problems.

The joint model couples specialties only through shared rows (clinic rooms, move caps per
organisation, an added Pareto bound) and shared columns. Without them the joint optimum is
the sum of the specialties' optima, and HiGHS proves seven small optima far sooner than one
model seven times their size (its search, cuts and heuristics do not split components).
The split is exact: the same feasible set and objective, solved block by block.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from bassplan.domain.vocabulary import IntArray


@dataclass(frozen=True)
class Block:
    """One independent part of a model: its columns and rows (indices into the model)."""

    columns: IntArray
    rows: IntArray


def split_blocks(matrix: sparse.csc_array, col_specialty: IntArray) -> tuple[Block, ...]:
    """The model's independent blocks, whole specialties each, in specialty order.

    Graph: one node per row and per specialty (shared columns, ``col_specialty`` = −1,
    form one more node); a nonzero joins its row to its column's specialty. Specialties in
    one connected component form one block with the rows of that component; a row without
    nonzeros (a bound on nothing) goes to the first block so its feasibility is still
    checked."""
    n_rows, _ = matrix.shape
    owner = np.where(col_specialty < 0, 0, col_specialty + 1)  # node 0: shared columns
    n_groups = int(owner.max(initial=0)) + 1
    coo = sparse.coo_array(matrix)
    graph = sparse.coo_array(
        (np.ones(coo.nnz), (coo.row, n_rows + owner[coo.col])),
        shape=(n_rows + n_groups, n_rows + n_groups),
    )
    _, label = connected_components(graph, directed=False)
    group_label = label[n_rows:]
    present = np.unique(owner)
    order = [int(group_label[g]) for g in present]
    components = list(dict.fromkeys(order))  # first appearance, i.e. specialty order
    row_label = label[:n_rows].copy()
    empty = np.diff(sparse.csr_array(matrix).indptr) == 0
    row_label[empty] = components[0]
    blocks = []
    for component in components:
        groups = present[group_label[present] == component]
        blocks.append(Block(np.flatnonzero(np.isin(owner, groups)),
                            np.flatnonzero(row_label == component)))
    return tuple(blocks)
