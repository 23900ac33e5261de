#!/usr/bin/env python3
"""Generates a lint benchmark content set: a 10,000-question bank (~10 MB of Chinese text,
valid under schemas/questionbank.xsd) plus the small provisions and course files it cites, so
that `academy lint` on the directory reports 0 errors and 0 warnings.

Usage: gen_lint_bank.py OUT_DIR [QUESTIONS]   (deterministic: same output every run)
"""
import os
import random
import sys
from xml.sax.saxutils import escape

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
rng = random.Random(2018)
os.makedirs(out, exist_ok=True)
XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'

PHRASES = [
    "城市管理执法人员", "应当严格规范执法行为", "坚持以人民为中心的发展思想", "依法文明公正执法",
    "全过程记录执法活动", "不得辱骂、殴打当事人", "严禁随意没收或损毁物品", "协管人员只能配合执法",
    "推行七分服务、二分管理、一分执法的工作方法", "双随机、一公开的检查方式", "着装规范，佩戴执法证件",
    "发现问题及时劝导并告知救济途径", "遇到冲突应当冷静处置并及时报告", "执法过程中语言文明",
    "对流动摊贩先教育引导", "依照法定程序实施行政强制", "接受社会监督", "建立健全执法责任制",
]
TOPICS = ["执法纪律", "执法方式", "执法程序", "执法保障", "队伍建设", "服务群众"]

def sentence(k):
    return "，".join(rng.choice(PHRASES) for _ in range(k)) + "。"

sections = [("s%d" % s, ["s%d.p%d" % (s, p) for p in range(1, 5)]) for s in range(1, 6)]
provisions = [p for _, ps in sections for p in ps]

with open(os.path.join(out, "provisions.xml"), "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    f.write(f'<provisions {XSI} xsi:noNamespaceSchemaLocation="../schemas/provisions.xsd" id="bench-notice" title="基准测试条款">\n')
    f.write("  <source>基准测试</source>\n")
    for sid, ps in sections:
        f.write(f'  <section id="{sid}" number="{sid}" title="第{sid}部分">\n')
        for p in ps:
            f.write(f'    <provision id="{p}" title="条款{p}"><summary>{sentence(2)}</summary></provision>\n')
        f.write("  </section>\n")
    f.write("</provisions>\n")

with open(os.path.join(out, "course.xml"), "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    f.write(f'<course {XSI} xsi:noNamespaceSchemaLocation="../schemas/course.xsd" id="bench-course" title="基准课程" provisions="bench-notice">\n')
    f.write(f"  <summary>{sentence(2)}</summary>\n")
    f.write('  <module id="bench-m1" title="模块">\n')
    for i, p in enumerate(provisions):
        f.write(f'    <lesson id="bench-l{i}" title="课时{i}" minutes="10"><cite provision="{p}"/>'
                f'<section><p>{sentence(3)}</p></section><key-points><point>{sentence(1)}</point></key-points></lesson>\n')
    f.write("  </module>\n</course>\n")

def cites(k=1):
    return "".join(f'<cite provision="{p}"/>' for p in rng.sample(provisions, k))

CORRECT = ' correct="true"'

def options(count, correct):
    picks = rng.sample(range(len(PHRASES)), count)
    good = set(rng.sample(range(count), correct))
    return "".join(
        f'      <option{CORRECT if i in good else ""}>选项{i + 1}：{PHRASES[p]}</option>\n'
        for i, p in enumerate(picks))

def common(qid):
    return f'id="{qid}" topic="{rng.choice(TOPICS)}" difficulty="{rng.randint(1, 3)}"'

def question(i, qid, sub=False):
    kind = rng.choice(["single", "single", "multiple", "tf", "fill"] + ([] if sub else ["case"]))
    tail = f"      {cites(rng.randint(1, 2))}\n      <explanation>{sentence(rng.randint(4, 7))}</explanation>\n"
    if kind == "single":
        return (f'    <single-choice {common(qid)}>\n      <stem>{sentence(rng.randint(3, 6))}下列说法正确的是：</stem>\n'
                + options(4, 1) + tail + "    </single-choice>\n")
    if kind == "multiple":
        return (f'    <multiple-choice {common(qid)}>\n      <stem>{sentence(rng.randint(3, 6))}下列哪些做法符合要求？</stem>\n'
                + options(5, rng.randint(2, 4)) + tail + "    </multiple-choice>\n")
    if kind == "tf":
        return (f'    <true-false {common(qid)} answer="{rng.choice(["true", "false"])}">\n'
                f"      <stem>{sentence(rng.randint(4, 8))}</stem>\n" + tail + "    </true-false>\n")
    if kind == "fill":
        return (f'    <fill-in {common(qid)}>\n      <stem>{sentence(3)}执法人员应当<blank><accept>全过程记录</accept>'
                f"<accept>全程记录</accept></blank>，{sentence(2)}</stem>\n" + tail + "    </fill-in>\n")
    parts = "".join(question(i, f"{qid}.{k}", sub=True) for k in range(1, rng.randint(2, 4) + 1))
    return (f'    <case-analysis {common(qid)}>\n      <scenario><p>{sentence(6)}</p><p>{sentence(5)}</p></scenario>\n'
            + parts + f"      <explanation>{sentence(3)}</explanation>\n    </case-analysis>\n")

with open(os.path.join(out, "bank.xml"), "w", encoding="utf-8") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    f.write(f'<question-bank {XSI} xsi:noNamespaceSchemaLocation="../schemas/questionbank.xsd" id="bench-bank" title="基准题库">\n')
    for i in range(n):
        f.write(question(i, f"bench-q{i}"))
    f.write("</question-bank>\n")
