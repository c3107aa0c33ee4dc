"""The argument map: roots, support and attack beneath them, cycles, shared subtrees, isolated ones."""

from __future__ import annotations

from reader.model.annotation import Annotation, Link, annotation_for
from reader.model.argument import CYCLE, REPEAT, LinkIndex, MapNode, build_map, corpus_maps

TEXT = " ".join(f"Sentence number {n} says something." for n in range(40))


def ann(n: int, *links: tuple[str, Annotation], doc: str = "d") -> Annotation:
    start = n * 10
    return annotation_for(
        doc, TEXT, "0" * 64, start, start + 5, links=tuple(Link(t, a.id) for t, a in links)
    )


def link(a: Annotation, type_: str, to: Annotation) -> Annotation:
    return a.with_changes(links=(*a.links, Link(type_, to.id)))


def shape(node: MapNode) -> tuple[object, ...]:
    return (node.annotation.id, node.relation, node.mark, tuple(shape(c) for c in node.children))


def test_roots_are_annotations_that_link_to_nothing_with_supporters_and_attackers_beneath() -> None:
    claim = ann(0)
    evidence = ann(1, ("supports", claim))
    counter = ann(2, ("attacks", claim))
    rebuttal = ann(3, ("rebuts", counter))
    alone = ann(4)
    result = build_map([rebuttal, alone, counter, claim, evidence])
    assert [shape(r) for r in result.roots] == [
        (
            claim.id,
            None,
            "",
            (
                (evidence.id, "supports", "", ()),
                (counter.id, "attacks", "", ((rebuttal.id, "rebuts", "", ()),)),
            ),
        )
    ]
    assert result.isolated == (alone,)
    assert result.rows() == 5


def test_a_cycle_is_shown_once_and_marked() -> None:
    a, b = ann(0), ann(1)
    a = link(a, "supports", b)
    b = link(b, "supports", a)
    c = ann(2, ("supports", a))
    result = build_map([c, b, a])
    assert len(result.roots) == 1
    root = result.roots[0]
    assert root.annotation.id in result.cyclic_roots
    ids = []

    def walk(node: MapNode) -> None:
        ids.append((node.annotation.id, node.mark))
        for child in node.children:
            walk(child)

    walk(root)
    # a is the root of its cycle (c only leads into it); b beneath it, then a again, marked.
    assert ids[0] == (a.id, "")
    assert (a.id, CYCLE) in ids
    assert sorted(i for i, mark in ids if not mark) == sorted([a.id, b.id, c.id])


def test_a_cycle_hanging_below_a_root_is_marked_and_not_followed() -> None:
    root = ann(0)
    a = ann(1, ("supports", root))
    b = ann(2, ("supports", a))
    a = link(a, "attacks", b)  # a both supports the root and attacks b, which supports a
    result = build_map([root, a, b])
    [tree] = result.roots
    assert shape(tree) == (
        root.id,
        None,
        "",
        ((a.id, "supports", "", ((b.id, "supports", "", ((a.id, "attacks", CYCLE, ()),)),)),),
    )


def test_a_shared_subtree_is_spelled_out_once() -> None:
    c1, c2 = ann(0), ann(1)
    premise = ann(2, ("supports", c1), ("supports", c2))
    evidence = ann(3, ("supports", premise))
    result = build_map([c1, c2, premise, evidence])
    first, second = result.roots
    assert shape(first)[3] == ((premise.id, "supports", "", ((evidence.id, "supports", "", ()),)),)
    assert shape(second)[3] == ((premise.id, "supports", REPEAT, ()),)


def test_links_to_annotations_not_in_the_set_self_links_and_duplicates_are_ignored() -> None:
    gone = ann(9)
    a = ann(0, ("supports", gone))
    a = link(a, "supports", a)
    b = ann(1)
    c = ann(2, ("supports", b), ("supports", b))
    result = build_map([a, b, c])
    assert result.isolated == (a,)
    assert [shape(r) for r in result.roots] == [(b.id, None, "", ((c.id, "supports", "", ()),))]


def test_a_long_chain_does_not_hit_the_recursion_limit() -> None:
    text = "x " * 6000
    chain: list[Annotation] = []
    for n in range(3000):
        links = (Link("supports", chain[-1].id),) if chain else ()
        chain.append(annotation_for("d", text, "0" * 64, 2 * n, 2 * n + 1, links=links))
    result = build_map(chain)
    assert result.rows() == 3000


def test_the_corpus_map_has_one_entry_per_document_and_follows_links_across_them() -> None:
    claim = ann(0, doc="one")
    other = ann(1, ("supports", claim), doc="two")
    alone = ann(2, doc="two")
    maps = corpus_maps([claim, other, alone])
    assert list(maps) == ["one", "two"]
    assert [shape(r) for r in maps["one"].roots] == [
        (claim.id, None, "", ((other.id, "supports", "", ()),))
    ]
    assert maps["two"].roots == () and maps["two"].isolated == (alone,)


def test_the_link_index_lists_outgoing_then_incoming_ends() -> None:
    claim = ann(0)
    evidence = ann(1, ("supports", claim))
    counter = ann(2, ("attacks", claim))
    index = LinkIndex([claim, evidence, counter])
    ends = index.ends(claim)
    assert [(e.type, e.other_id, e.outgoing) for e in ends] == [
        ("supports", evidence.id, False),
        ("attacks", counter.id, False),
    ]
    assert [(e.type, e.other, e.outgoing) for e in index.ends(evidence)] == [
        ("supports", claim, True)
    ]
    assert index.linked_ids() == {claim.id, evidence.id, counter.id}


def test_the_link_cache_rebuilds_only_for_a_new_list_and_finds_linked_starts() -> None:
    from reader.model.argument import LinkCache

    claim = ann(0)
    evidence = ann(2, ("supports", claim))
    alone = ann(4)
    listed = [claim, evidence, alone]
    cache = LinkCache()
    first = cache.index(listed)
    assert cache.index(listed) is first
    assert cache.starts_between(listed, 0, 5) and cache.starts_between(listed, 20, 21)
    assert not cache.starts_between(listed, 1, 20) and not cache.starts_between(listed, 40, 50)
    assert cache.index([claim, alone]) is not first
    assert not cache.starts_between([claim, alone], 0, 100)
