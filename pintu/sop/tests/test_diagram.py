"""The flow diagram drawn from an SOP definition: valid SVG, one lane per actor, one box
per activity, labelled branches, escaped text, and the same bytes every time."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest

from pintu.sop import diagram
from pintu.sop.definition import Activity, Definition, Role, Service
from pintu.sop.diagram import END, START, Edge

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is XML


def child(root: ET.Element, tag: str) -> ET.Element:
    found = root.find(f"{SVG}{tag}")
    assert found is not None, tag
    return found


def groups(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == css_class]


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def flow_for(definition: Definition, service_key: str) -> diagram.Flow:
    return next(
        f for f in diagram.flows(definition) if any(s.key == service_key for s in f.services)
    )


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("15m", "15 menit"),
        ("4h", "4 jam"),
        ("1d", "1 hari"),
        ("3d", "3 hari"),
        ("2w", "2 minggu"),
        ("1mo", "1 bulan"),
        (None, ""),
        ("", ""),
    ],
)
def test_duration_words_read_like_the_paper_sop(value: str | None, words: str) -> None:
    assert diagram.duration_words(value) == words


def test_each_service_with_its_own_activities_gets_its_own_flow(
    sample_definition: Definition,
) -> None:
    flows = diagram.flows(sample_definition)
    assert [[s.key for s in f.services] for f in flows] == [["daftar"], ["akses"]]
    assert [a.key for a in flows[0].activities] == ["kirim", "terima", "catat"]


def test_services_sharing_activities_share_one_flow_and_unlisted_steps_come_last(
    sample_definition: Definition,
) -> None:
    shared = ("kirim", "terima", "catat")
    definition = dataclasses.replace(
        sample_definition,
        services=(
            dataclasses.replace(sample_definition.services[0], activities=shared),
            dataclasses.replace(sample_definition.services[1], activities=shared),
            Service(key="lain", name="Lainnya", first_response="15m", resolution="1mo"),
        ),
    )
    flows = diagram.flows(definition)
    assert [[s.key for s in f.services] for f in flows] == [["daftar", "akses"], ["lain"]]
    assert [a.key for a in flows[1].activities] == [
        "minta",
        "tanya",
        "klasifikasi",
        "beri",
        "tolak",
    ]


def test_a_step_leads_to_the_next_unless_it_branches_or_ends(
    sample_definition: Definition,
) -> None:
    edges = diagram.flow_edges(flow_for(sample_definition, "akses").activities)
    assert edges == (
        Edge(START, "minta"),
        Edge("minta", "tanya"),
        Edge("tanya", "klasifikasi"),
        Edge("klasifikasi", "beri", "akses diberikan"),
        Edge("klasifikasi", "tolak", "akses ditolak"),
        Edge("beri", END),
        Edge("tolak", END),
    )


def test_the_svg_is_valid_xml_with_role_img_a_title_and_a_fitting_viewbox(
    sample_definition: Definition,
) -> None:
    drawing = diagram.draw_flow(sample_definition, flow_for(sample_definition, "akses"))
    root = parse(drawing.svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = child(root, "title"), child(root, "desc")
    assert title.text == "PR.99.1 Prosedur Pengelolaan Akun Layanan Digital: Pemberian akses"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert float(root.attrib["width"]) == drawing.width
    # Everything drawn lies inside the view box.
    for rect in root.iter(f"{SVG}rect"):
        assert float(rect.attrib["x"]) + float(rect.attrib["width"]) <= drawing.width
        assert float(rect.attrib["y"]) + float(rect.attrib["height"]) <= drawing.height


def test_one_lane_per_role_used_in_the_flow_in_the_sop_order(
    sample_definition: Definition,
) -> None:
    definition = dataclasses.replace(
        sample_definition,
        roles=(Role("kepala", "Kepala Unit"), *sample_definition.roles),
    )
    root = parse(diagram.draw_flow(definition, flow_for(definition, "daftar")).svg)
    lanes = groups(root, "lane")
    assert [" ".join(texts(lane)) for lane in lanes] == ["Pemohon", "Penanggung Jawab"]


def box_lines(box: ET.Element) -> list[str]:
    return [t.text or "" for t in box.findall(f"{SVG}text")]


def test_one_numbered_box_per_activity_with_its_time_badge(
    sample_definition: Definition,
) -> None:
    flow = flow_for(sample_definition, "daftar")
    root = parse(diagram.draw_flow(sample_definition, flow).svg)
    boxes = groups(root, "activity")
    assert len(boxes) == len(flow.activities) == 3
    assert [texts(groups(box, "number")[0]) for box in boxes] == [["1"], ["2"], ["3"]]
    assert box_lines(boxes[1]) == ["Mendapatkan pesan", "masuk."]
    # "terima" has a blank time standard: no badge on its box.
    assert [texts(g) for g in groups(root, "time-standard")] == [["15 menit"], ["15 menit"]]
    assert not groups(boxes[1], "time-standard")


def test_every_edge_is_drawn_with_start_and_end_markers(sample_definition: Definition) -> None:
    flow = flow_for(sample_definition, "akses")
    root = parse(diagram.draw_flow(sample_definition, flow).svg)
    paths = [p for p in root.iter(f"{SVG}path") if p.get("class") == "edge"]
    assert len(paths) == len(diagram.flow_edges(flow.activities)) == 7
    assert all(p.get("marker-end", "").startswith("url(#flow-") for p in paths)
    assert len(groups(root, "start")) == 1
    assert len(groups(root, "end")) == 1


def test_branches_carry_their_labels(sample_definition: Definition) -> None:
    root = parse(diagram.draw_flow(sample_definition, flow_for(sample_definition, "akses")).svg)
    labels = [" ".join(texts(g)) for g in groups(root, "edge-label")]
    assert labels == ["akses diberikan", "akses ditolak"]


def test_text_from_the_definition_is_escaped(sample_definition: Definition) -> None:
    nasty = 'Cek <script>alert("x")</script> & "kutip" \'satu\''
    definition = dataclasses.replace(
        sample_definition,
        title="R&D <Unit>",
        roles=(Role("pemohon", "R&D <Pemohon>"), Role("pj", "PJ")),
        activities=tuple(
            dataclasses.replace(a, description=nasty) if a.key == "kirim" else a
            for a in sample_definition.activities
        ),
    )
    svg = diagram.draw_flow(definition, flow_for(definition, "daftar")).svg
    assert "<script>" not in svg
    assert "<Pemohon>" not in svg
    root = parse(svg)
    assert (child(root, "title").text or "").startswith("PR.99.1 R&D <Unit>")
    assert " ".join(texts(groups(root, "lane")[0])) == "R&D <Pemohon>"
    assert " ".join(box_lines(groups(root, "activity")[0])).startswith("Cek <script>")


def test_branch_labels_are_escaped(sample_definition: Definition) -> None:
    klasifikasi = sample_definition.activity("klasifikasi")
    branches = (
        dataclasses.replace(klasifikasi.next[0], when="a < b & c"),
        klasifikasi.next[1],
    )
    definition = dataclasses.replace(
        sample_definition,
        activities=tuple(
            dataclasses.replace(a, next=branches) if a.key == "klasifikasi" else a
            for a in sample_definition.activities
        ),
    )
    root = parse(diagram.draw_flow(definition, flow_for(definition, "akses")).svg)
    assert " ".join(texts(groups(root, "edge-label")[0])) == "a < b & c"


def test_the_drawing_is_deterministic(sample_definition: Definition) -> None:
    flow = flow_for(sample_definition, "akses")
    first = diagram.draw_flow(sample_definition, flow).svg
    again = Definition.from_json(sample_definition.to_json())
    assert diagram.draw_flow(again, flow_for(again, "akses")).svg == first


def test_diagrams_of_one_sop_have_distinct_ids(sample_definition: Definition) -> None:
    ids: set[str | None] = set()
    for flow in diagram.flows(sample_definition):
        root = parse(diagram.draw_flow(sample_definition, flow).svg)
        own = {e.get("id") for e in root.iter() if e.get("id")}
        assert not own & ids
        ids |= own


def test_long_words_wrap_inside_their_box(sample_definition: Definition) -> None:
    long = "mengidentifikasi jadwal pengelolaan/pengembangan media " + "x" * 40
    definition = dataclasses.replace(
        sample_definition,
        activities=(Activity(key="satu", actor="pj", description=long),),
        services=(),
    )
    root = parse(diagram.draw_flow(definition, diagram.flows(definition)[0]).svg)
    lines = box_lines(groups(root, "activity")[0])
    assert all(len(line) <= diagram.WRAP for line in lines)
    assert "jadwal pengelolaan/" in lines  # the slash is a place to break
    assert "".join(lines).replace(" ", "") == long.replace(" ", "")
