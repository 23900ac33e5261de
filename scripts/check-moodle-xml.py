#!/usr/bin/env python3
"""Reads a Moodle XML file with an independent parser and prints what it holds as JSON.

multichoice and cloze questions go through the PyPI package moodle-xml-parser (which models
exactly those two types); truefalse and shortanswer, which it does not model, through Python's
own ElementTree. Used by the test suite to check `academy bank export --format moodle-xml`:

    python3 scripts/check-moodle-xml.py bank.moodle.xml > summary.json
"""
import html
import json
import re
import sys
import xml.etree.ElementTree as ET

from moodle_xml_parser.parser import parse_file


def plain(s):
    s = re.sub(r"<[^>]+>", "", s or "")
    return html.unescape(s).strip()


def main(path):
    out = {}
    parsed = parse_file(path)
    for q in parsed["multichoice"]:
        out[q.name] = {
            "type": "multichoice",
            "single": q.single,
            "shuffle": q.shuffle_answers,
            "options": [plain(o.answer) for o in q.options],
            "correct": [plain(o.answer) for o in q.options if o.score_fraction > 0],
            "fractionSum": round(sum(o.score_fraction for o in q.options if o.score_fraction > 0), 3),
            "stem": plain(q.text_pre_parse),
        }
    for q in parsed["cloze"]:
        out[q.name] = {
            "type": "cloze",
            "gaps": [[plain(o.answer) for o in g.options if o.score == 100] for g in q.gaps],
            "subtypes": [g.sub_type for g in q.gaps],
        }
    root = ET.parse(path).getroot()
    categories = 0
    for q in root.findall("question"):
        t = q.get("type")
        if t == "category":
            categories += 1
            continue
        name = q.findtext("name/text")
        if t == "truefalse":
            right = [a.findtext("text") for a in q.findall("answer") if float(a.get("fraction")) == 100]
            out[name] = {"type": "truefalse", "answer": right == ["true"], "stem": plain(q.findtext("questiontext/text"))}
        elif t == "shortanswer":
            out[name] = {
                "type": "shortanswer",
                "accepted": [a.findtext("text") for a in q.findall("answer") if float(a.get("fraction")) == 100],
            }
        elif t not in ("multichoice", "cloze"):
            out[name] = {"type": t}
    json.dump({"categories": categories, "questions": out}, sys.stdout, ensure_ascii=False, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1])
