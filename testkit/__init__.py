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

"""What the tests, the benchmarks and the demo share; never shipped.

Horizon's settings with the plugin's enabled files (``horizon_settings``,
the tests' ``settings``), the view tests' base and helpers (``helpers``),
client resources made with the real client classes (``data``,
``overview_data``), Horizon's Instances index test machinery with the
plugin (``instances``) and a user's clients on the local OpenStack
(``cloud``). It lives at the repository root, beside ``backup_dashboard``
(which never imports it): pytest (``pythonpath = .``), ``python -m
benchmarks.<script>`` and ``make demo`` find it there.
"""
