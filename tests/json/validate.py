#!/usr/bin/env python3
"""Check JSON lines against slink's JSON Schema.

usage: validate.py SCHEMA [DEF] < lines

Every line of standard input must be one JSON object valid against the
schema (or its $defs entry DEF). A small validator of the keywords the
schema uses, so that no package is needed; where the jsonschema module is
installed, its Draft 2020-12 validator checks the same lines too.
Exit 0 when every line is valid and there was at least one, else 1 with
the reasons on standard error."""
import json
import re
import sys

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
KNOWN = {"$schema", "$id", "title", "description", "$defs", "$ref", "type",
         "enum", "const", "required", "properties", "additionalProperties",
         "items", "uniqueItems", "minimum", "maxItems", "pattern",
         "dependentRequired", "if", "then", "else", "not", "allOf",
         "anyOf", "oneOf"}


def resolve(root, ref):
    if not ref.startswith("#/"):
        raise ValueError("only local $ref: " + ref)
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def errors(root, s, v, where="$"):
    """The reasons V is not valid against S (empty when it is)."""
    out = []
    unknown = set(s) - KNOWN
    if unknown:
        raise ValueError("schema keyword not supported: %s" % sorted(unknown))
    if "$ref" in s:
        out += errors(root, resolve(root, s["$ref"]), v, where)
    if "type" in s:
        types = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(TYPES[t](v) for t in types):
            return out + ["%s: %r is not of type %s" % (where, v, "/".join(types))]
    if "enum" in s and v not in s["enum"]:
        out.append("%s: %r is not one of %s" % (where, v, s["enum"]))
    if "const" in s and v != s["const"]:
        out.append("%s: %r is not %r" % (where, v, s["const"]))
    if "minimum" in s and TYPES["number"](v) and v < s["minimum"]:
        out.append("%s: %r is below %r" % (where, v, s["minimum"]))
    if "pattern" in s and isinstance(v, str) and not re.search(s["pattern"], v):
        out.append("%s: %r does not match %s" % (where, v, s["pattern"]))
    if isinstance(v, list):
        if "maxItems" in s and len(v) > s["maxItems"]:
            out.append("%s: more than %d items" % (where, s["maxItems"]))
        if s.get("uniqueItems") and len({json.dumps(x, sort_keys=True) for x in v}) != len(v):
            out.append("%s: items repeat" % where)
        if "items" in s:
            for i, x in enumerate(v):
                out += errors(root, s["items"], x, "%s[%d]" % (where, i))
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                out.append("%s: %s is missing" % (where, k))
        props = s.get("properties", {})
        for k, x in v.items():
            if k in props:
                out += errors(root, props[k], x, where + "." + k)
            elif s.get("additionalProperties") is False:
                out.append("%s: %s is not a field" % (where, k))
        for k, needed in s.get("dependentRequired", {}).items():
            if k in v:
                out += ["%s: %s needs %s" % (where, k, n) for n in needed if n not in v]
    if "if" in s:
        branch = "then" if not errors(root, s["if"], v, where) else "else"
        if branch in s:
            out += errors(root, s[branch], v, where)
    if "not" in s and not errors(root, s["not"], v, where):
        out.append("%s: matches what it must not" % where)
    for sub in s.get("allOf", []):
        out += errors(root, sub, v, where)
    if "anyOf" in s and all(errors(root, sub, v, where) for sub in s["anyOf"]):
        out.append("%s: matches none of anyOf" % where)
    if "oneOf" in s and sum(not errors(root, sub, v, where) for sub in s["oneOf"]) != 1:
        out.append("%s: does not match exactly one of oneOf" % where)
    return out


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        root = json.load(f)
    schema = resolve(root, "#/$defs/" + sys.argv[2]) if len(sys.argv) > 2 else root
    try:
        import jsonschema
        jsonschema.Draft202012Validator.check_schema(root)
        full = dict(root)
        full["$ref"] = "#/$defs/" + sys.argv[2] if len(sys.argv) > 2 else root["$ref"]
        other = jsonschema.Draft202012Validator(full)
    except ImportError:
        other = None
    bad = 0
    lines = sys.stdin.buffer.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for n, raw in enumerate(lines, 1):
        try:
            v = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            print("line %d: not JSON: %s: %r" % (n, e, raw[:200]), file=sys.stderr)
            bad += 1
            continue
        why = errors(root, schema, v)
        if other is not None:
            why += ["jsonschema: " + e.message for e in other.iter_errors(v)]
        for w in why:
            print("line %d: %s" % (n, w), file=sys.stderr)
        bad += bool(why)
    if not lines:
        print("no JSON lines to check", file=sys.stderr)
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
