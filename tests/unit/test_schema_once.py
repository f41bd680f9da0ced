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

"""The engine simulations' schema check: once per schema, same verdicts.

``tests/workbooks/schema_once`` stands in for ``jsonschema.validate`` in
the processes that parse the workbooks with Mistral's own parser: it must
refuse exactly what jsonschema refuses, with the same error, and check a
schema against the meta-schema only the first time it sees it.
"""
from unittest import mock

import jsonschema
from jsonschema import exceptions
from jsonschema import validators
import pytest

from tests.workbooks import schema_once

SCHEMA = {'type': 'object',
          'properties': {'name': {'type': 'string'},
                         'keep': {'type': 'integer', 'minimum': 1}},
          'required': ['name'], 'additionalProperties': False}


def error_of(validate, instance, schema=SCHEMA):
    with pytest.raises(exceptions.ValidationError) as raised:
        validate(instance, schema)
    return raised.value


@pytest.mark.parametrize('instance', [
    {'name': 'a', 'keep': 0}, {'name': 1}, {'keep': 2},
    {'name': 'a', 'extra': True}, [], {'name': 'a', 'keep': 'x'}])
def test_refuses_what_jsonschema_refuses_with_the_same_error(instance):
    ours = error_of(schema_once.validate, instance)
    theirs = error_of(jsonschema.validate, instance)
    assert (ours.message, list(ours.path), ours.validator) == (
        theirs.message, list(theirs.path), theirs.validator)


def test_accepts_what_jsonschema_accepts():
    assert schema_once.validate({'name': 'a', 'keep': 3}, SCHEMA) is None


def test_checks_each_schema_once_and_a_bad_one_every_time():
    klass = validators.validator_for(SCHEMA)
    schema = dict(SCHEMA)
    with mock.patch.object(klass, 'check_schema',
                           wraps=klass.check_schema) as check:
        for _ in range(3):
            schema_once.validate({'name': 'a'}, schema)
        assert check.call_count == 1
        bad = {'type': 'no-such-type'}
        for _ in range(2):
            with pytest.raises(exceptions.SchemaError):
                schema_once.validate({}, bad)
        assert check.call_count == 3


def test_install_replaces_jsonschema_validate():
    with mock.patch.object(jsonschema, 'validate', jsonschema.validate):
        schema_once.install()
        assert jsonschema.validate is schema_once.validate
