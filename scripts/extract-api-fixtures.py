#!/usr/bin/env python3
"""Writes the example responses of the three API documents as test fixtures.

Run once by hand when a document changes; the tests read only the committed
fixtures (tests/fixtures/api/), never the documents:

    python3 scripts/extract-api-fixtures.py DIR_WITH_THE_DOCUMENTS

Each example becomes tests/fixtures/api/<brand>/<METHOD>_<endpoint>.<ext>:
`.json` when the example is valid JSON (as printed, minus the markdown
document's trailing-backslash artifacts), `.txt` otherwise (an empty answer,
prose, Python literals). Path segments that are ids become `{id}` words
(`UUID`, `IP`, `ID`); the method and path are the section's
"HTTP Request" line. tests/fixtures/api/INDEX.md lists every file
with its document, line and section title.

How the documents are laid out:
- 000 (IDCloudHost) is markdown: a section is a `## ` heading; its command is
  a fenced block holding `curl ...`; the example is the fenced block after
  `> The above command returns ...:`.
- 001 (elastis.id) and 002 (3nv.io) are plain text: the section title is the
  line before `curl ...`; the example is the JSON value starting on the line
  after `The above command returns ...:` (the prose after it is not part of it).
"""

import json
import os
import re
import sys

DOCS = [
    # (file prefix, brand folder, markdown?)
    ("000_", "idcloudhost", True),
    ("001_", "elastis", False),
    ("002_", "3nv", False),
]
MARKER = "The above command returns"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
IPV4 = re.compile(r"^\d+\.\d+\.\d+\.\d+$")


REQUEST_LINE = re.compile(r"^`?(GET|POST|PUT|PATCH|DELETE) (https?://[^\s`]+)`?$")


def endpoint(lines, marker, curl_lines):
    """The file-name stem `METHOD_path_segments` of an example's request: the section's
    "HTTP Request" line after the example (the curl command before it sometimes shows the
    wrong method), else the curl command."""
    for line in lines[marker : marker + 400]:
        if "curl " in line or MARKER in line:
            break
        found = REQUEST_LINE.match(line.strip())
        if found:
            method, url = found.groups()
            break
    else:
        found = None
    if not found:
        text = " ".join(l.strip().rstrip("\\") for l in curl_lines)
        url = re.search(r"""(https?://[^\s"']+)""", text).group(1)
        method = re.search(r"(?:-X|--request)\s+([A-Z]+)", text)
        method = method.group(1) if method else "GET"
    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0]
    parts = []
    for seg in path.strip("/").split("/"):
        if seg == "v1":
            continue
        if UUID.match(seg) or re.match(r"^[{<].*uuid.*[}>]$", seg, re.I):
            seg = "UUID"
        elif IPV4.match(seg) or re.match(r"^[{<].*(ip|address).*[}>]$", seg):
            seg = "IP"
        elif seg.isdigit() or re.match(r"^[{<].*[}>]$", seg):
            seg = "ID"
        parts.append(seg)
    return method + "_" + "_".join(parts)


def first_json_value(text):
    """The first JSON value of `text` and its source span, or None."""
    stripped = text.lstrip()
    if not stripped or stripped[0] not in "{[":
        return None
    offset = len(text) - len(stripped)
    try:
        _, end = json.JSONDecoder().raw_decode(stripped)
    except ValueError:
        return None
    return text[offset : offset + end]


def bracket_span(text):
    """The text of a bracketed value that is not valid JSON (Python literals)."""
    stripped = text.lstrip()
    depth, in_str, esc = 0, False, False
    for i, c in enumerate(stripped):
        if in_str:
            if esc:
                esc = False
            elif c == "\\":
                esc = True
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return stripped[: i + 1]
    return stripped


def extract_markdown(lines):
    section, curl, pending = "", None, None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            section, curl = line[3:].strip(), None
        elif line.startswith("# "):
            section, curl = "", None
        elif line.startswith("> ") and line[2:].startswith(MARKER) and line.rstrip().endswith(":"):
            pending = i + 1
        elif line.startswith("```"):
            block = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                block.append(lines[i][:-1] if lines[i].endswith("\\") else lines[i])
                i += 1
            if pending is not None:
                yield section, pending, curl, "\n".join(block).strip() + "\n"
                pending = None
            elif any(l.lstrip().startswith("curl ") for l in block):
                curl = block
        i += 1


def extract_plain(lines):
    for i, line in enumerate(lines):
        if not (line.startswith(MARKER) and line.rstrip().endswith(":")):
            continue
        start = next(k for k in range(i - 1, max(-1, i - 200), -1) if lines[k].startswith("curl "))
        rest = "\n".join(lines[i + 1 :])
        value = first_json_value(rest)
        if value is None:
            stripped = rest.lstrip()
            if stripped[:1] in ("{", "["):
                value = bracket_span(rest)
            else:
                value = stripped.splitlines()[0] if stripped else ""
        yield lines[start - 1].strip(), i + 1, lines[start:i], value.strip() + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "api")
    index = []
    for prefix, brand, markdown in DOCS:
        (name,) = [n for n in os.listdir(src) if n.startswith(prefix) and n.endswith(".txt")]
        with open(os.path.join(src, name), encoding="utf-8") as f:
            lines = f.read().splitlines()
        out = os.path.join(root, brand)
        os.makedirs(out, exist_ok=True)
        for old in os.listdir(out):
            os.remove(os.path.join(out, old))
        examples = extract_markdown(lines) if markdown else extract_plain(lines)
        seen = set()
        for section, line, curl, body in examples:
            stem = endpoint(lines, line, curl)
            if stem in seen:
                sys.exit(f"{name} line {line}: two examples for {stem}")
            seen.add(stem)
            try:
                json.loads(body)
                ext = "json"
            except ValueError:
                ext = "txt"
            file = f"{stem}.{ext}"
            with open(os.path.join(out, file), "w", encoding="utf-8") as f:
                f.write(body)
            index.append((brand, file, name, line, section))
    with open(os.path.join(root, "INDEX.md"), "w", encoding="utf-8") as f:
        f.write("# Where each fixture comes from\n\n")
        f.write("Written by `scripts/extract-api-fixtures.py`; see `README.md`.\n\n")
        f.write("| fixture | document | line | section |\n| --- | --- | --- | --- |\n")
        for brand, file, name, line, section in index:
            f.write(f"| `{brand}/{file}` | `{name}` | {line} | {section} |\n")


if __name__ == "__main__":
    main()
