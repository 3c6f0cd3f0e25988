"""The floor: what any linter of these files must at least do — read each file, load it
with libyaml's C loader and validate it against the schema with jsonschema."""

import json
import sys
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator

schema = json.loads((Path(__file__).resolve().parent.parent / "schemas" / "closeapp.schema.json").read_text())
validator = Draft202012Validator(schema)
errors = 0
for name in sys.argv[1:]:
    data = yaml.load(Path(name).read_bytes(), Loader=yaml.CSafeLoader)
    errors += sum(1 for _ in validator.iter_errors(data))
print(errors)
