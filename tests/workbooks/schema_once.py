#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Mistral's DSL parser, checking each of its own schemas once per process.

Mistral validates every spec of a workbook with ``jsonschema.validate()``,
which first checks the *schema* against the JSON Schema meta-schema, on
every call. Parsing the bundled workbooks made that check about nine tenths
of the work: some 50 s of CPU in each engine simulation before its first
run. The schemas are Mistral's own, built once per spec class; here each is
still checked, once, and every workbook is validated against it exactly as
before (same validator class, same best-match error).
"""
import jsonschema
from jsonschema import exceptions
from jsonschema import validators

_original = jsonschema.validate
# id(schema) -> (schema, its validator): the schema is kept so that its id
# cannot be reused by another object
_VALIDATORS = {}


def validate(instance, schema, cls=None, *args, **kwargs):
    if cls is not None or args or kwargs:
        return _original(instance, schema, cls, *args, **kwargs)
    known = _VALIDATORS.get(id(schema))
    if known is None or known[0] is not schema:
        klass = validators.validator_for(schema)
        klass.check_schema(schema)
        known = _VALIDATORS[id(schema)] = (schema, klass(schema))
    error = exceptions.best_match(known[1].iter_errors(instance))
    if error is not None:
        raise error


def install():
    """Use it for every ``jsonschema.validate`` call of this process."""
    jsonschema.validate = validate
