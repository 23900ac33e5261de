#!/usr/bin/env python3
"""Generates a content set whose bank holds one question with a very long text node, or one
question with very many options (issue 9 §5: parsing cost must grow with the input, not its
square). Valid under schemas/questionbank.xsd; lint may warn about the length, which is fine.

Usage: gen_long_text.py OUT_DIR cjk|ascii MEGABYTES
       gen_long_text.py OUT_DIR options COUNT
"""
import os
import sys

out, kind, size = sys.argv[1], sys.argv[2], float(sys.argv[3])
os.makedirs(out, exist_ok=True)
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'

with open(os.path.join(out, "provisions.xml"), "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    f.write(f'<provisions {XSI} xsi:noNamespaceSchemaLocation="../schemas/provisions.xsd" id="long-notice" title="长文本基准条款">\n  <source>基准测试</source>\n')
    f.write('  <section id="s1" number="一" title="第一部分">\n')
    f.write('    <provision id="s1.p1" title="条款一"><summary>城市管理执法人员应当严格规范执法行为。</summary></provision>\n')
    f.write("  </section>\n</provisions>\n")

UNIT_CJK = "城市管理执法人员应当严格规范执法行为，坚持依法文明公正执法。"
UNIT_ASCII = "Enforcement staff shall record every enforcement action in full. "


def text(megabytes, unit):
    target = int(megabytes * 1024 * 1024)
    b = unit.encode("utf-8")
    return (unit * (target // len(b) + 1)).encode("utf-8")[: target // len(b) * len(b)].decode("utf-8")


with open(os.path.join(out, "bank.xml"), "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    f.write(f'<question-bank {XSI} xsi:noNamespaceSchemaLocation="../schemas/questionbank.xsd" id="long-bank" title="长文本基准题库">\n')
    if kind in ("cjk", "ascii"):
        stem = text(size, UNIT_CJK if kind == "cjk" else UNIT_ASCII)
        f.write('  <true-false id="long-q1" topic="基准" difficulty="1" answer="true">\n')
        f.write(f"    <stem>{stem}</stem>\n")
        f.write('    <cite provision="s1.p1"/>\n    <explanation>基准测试。</explanation>\n  </true-false>\n')
    else:
        n = int(size)
        f.write('  <multiple-choice id="long-q1" topic="基准" difficulty="1">\n')
        f.write("    <stem>下列哪些做法符合要求？</stem>\n")
        for i in range(n):
            c = ' correct="true"' if i < 2 else ""
            f.write(f"    <option{c}>选项{i + 1}：城市管理执法人员应当严格规范执法行为</option>\n")
        f.write('    <cite provision="s1.p1"/>\n    <explanation>基准测试。</explanation>\n  </multiple-choice>\n')
    f.write("</question-bank>\n")
