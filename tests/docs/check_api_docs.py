#!/usr/bin/env python3
"""The API's documents agree with each other (ctest docs.api_curl_examples).

Every curl example in docs/api.md must name a route of docs/openapi.json (which
tests/daemon/test_front.c keeps equal to the daemon's GET /v1/openapi.json, made
from the route table): its method and path template, only query parameters the
route declares, and, where it sends JSON, a body the route's request schema
accepts. A command whose method or path is a placeholder in capitals (the
form of the examples: `curl -s -X METHOD .../v1/PATH`) is a template, not an
example, and is left out. The schema check is a small JSON Schema validator for
the keywords the document uses (no package beyond Python's standard library).

Usage: check_api_docs.py [SOURCE_DIR]   (exits 1 listing every problem)
"""
import json
import os
import re
import shlex
import sys
from urllib.parse import parse_qsl, urlsplit


def resolve(schema, doc):
    while isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema


TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def type_ok(value, t):
    if t == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, TYPES[t])


def validate(value, schema, doc, path, errors):
    """Append "path: reason" for each way value breaks schema."""
    schema = resolve(schema, doc)
    if "anyOf" in schema:
        if not any(not validate(value, s, doc, path, []) for s in schema["anyOf"]):
            errors.append(f"{path}: matches none of the allowed forms")
        return errors
    t = schema.get("type")
    if t is not None:
        ts = t if isinstance(t, list) else [t]
        if not any(type_ok(value, x) for x in ts):
            errors.append(f"{path}: must be {' or '.join(ts)}")
            return errors
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: must be one of {schema['enum']}")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{path}: too short")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{path}: does not match {schema['pattern']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: above {schema['maximum']}")
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            errors.append(f"{path}: must be above {schema['exclusiveMinimum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", 1 << 30):
            errors.append(f"{path}: wrong number of items")
        for i, item in enumerate(value):
            validate(item, schema.get("items", {}), doc, f"{path}/{i}", errors)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{path}/{key}: is required")
        for key, item in value.items():
            if key in props:
                validate(item, props[key], doc, f"{path}/{key}", errors)
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}/{key}: unknown field")
    return errors


def curl_commands(text):
    """(line number, command text) of each curl in the markdown, continuations joined."""
    lines = text.split("\n")
    out = []
    i = 0
    while i < len(lines):
        if re.match(r"^\s*(\$\s*)?curl\s", lines[i]):
            start, cmd = i + 1, lines[i].strip()
            while cmd.endswith("\\") and i + 1 < len(lines):
                i += 1
                cmd = cmd[:-1] + " " + lines[i].strip()
            quotes = cmd.count("'") % 2
            while quotes and i + 1 < len(lines):  # a body quoted over several lines
                i += 1
                cmd += "\n" + lines[i]
                quotes = cmd.count("'") % 2
                while cmd.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    cmd = cmd[:-1] + " " + lines[i].strip()
            out.append((start, cmd.lstrip("$ ")))
        i += 1
    return out


def parse_curl(cmd):
    """method, url, body (None when none) of one curl command."""
    words = shlex.split(cmd, posix=True)
    method, url, body = None, None, None
    k = 1
    while k < len(words):
        w = words[k]
        if w in ("-X", "--request"):
            method, k = words[k + 1], k + 2
            continue
        if w in ("-d", "--data", "--data-raw", "--data-binary"):
            body, k = words[k + 1], k + 2
            continue
        if w in ("-H", "--header", "-o", "-w", "--max-time", "-u"):
            k += 2
            continue
        if url is None and not w.startswith("-") and ("/" in w) and not w.startswith("$"):
            url = w
        k += 1
    if method is None:
        method = "POST" if body is not None else "GET"
    return method.upper(), url, body


def template_regex(template):
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$")


def check(source):
    doc = json.load(open(os.path.join(source, "docs", "openapi.json")))
    md = open(os.path.join(source, "docs", "api.md")).read()
    routes = [(template_regex(t), t, item) for t, item in doc["paths"].items()]
    problems, checked = [], 0
    for line, cmd in curl_commands(md):
        where = f"docs/api.md:{line}"
        try:
            method, url, body = parse_curl(cmd)
        except ValueError as e:
            problems.append(f"{where}: the command does not parse ({e})")
            continue
        if not url:
            problems.append(f"{where}: no URL in the command")
            continue
        if "://" not in url:
            url = "http://" + url
        parts = urlsplit(url)
        if method == "METHOD" or any(re.fullmatch(r"[A-Z_]+", seg) for seg in parts.path.split("/") if seg):
            continue  # the template of the examples
        found = [(t, item) for rx, t, item in routes if rx.match(parts.path)]
        if not found:
            problems.append(f"{where}: {parts.path} is no route of the API")
            continue
        template, item = max(found, key=lambda f: -f[0].count("{"))
        op = item.get(method.lower())
        if op is None:
            problems.append(f"{where}: {method} {template} is no operation (there are {', '.join(sorted(item)).upper()})")
            continue
        checked += 1
        declared = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
        for name, _ in parse_qsl(parts.query, keep_blank_values=True):
            if name not in declared:
                problems.append(f"{where}: {method} {template} has no query parameter {name!r}")
        content = op.get("requestBody", {}).get("content", {})
        if body is not None and body.startswith("@"):
            continue
        if body is not None and "application/json" in content:
            try:
                value = json.loads(body)
            except ValueError as e:
                problems.append(f"{where}: the body is not JSON ({e})")
                continue
            for err in validate(value, content["application/json"]["schema"], doc, "", []):
                problems.append(f"{where}: {method} {template} body {err}")
        elif body is not None and not content:
            problems.append(f"{where}: {method} {template} takes no body")
        elif body is None and op.get("requestBody") and method not in ("GET", "DELETE"):
            schema = resolve(content.get("application/json", {}).get("schema", {}), doc)
            if schema.get("required"):
                problems.append(f"{where}: {method} {template} needs a body")
    return problems, checked


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
    problems, checked = check(source)
    for p in problems:
        print(p)
    print(f"{checked} curl examples checked against docs/openapi.json, {len(problems)} problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
