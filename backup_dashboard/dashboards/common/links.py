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

"""Links the plugin's tables and messages put on a row or a run."""
from django.urls import reverse
from django.utils.http import urlencode

RUN_DETAIL = 'horizon:project:backup_runs:detail'


def detail_link(view, id_attr):
    """A column ``link`` to `view` for the row's `id_attr`.

    Reversed once per row and kept on the row's datum: Horizon reads a
    cell's url three times while rendering it, and reverse() is costly.
    """
    cached = '_%s_url' % view.rsplit(':', 1)[-1]

    def url(datum):
        found = getattr(datum, cached, None)
        if found is None:
            found = reverse(view, args=[getattr(datum, id_attr)])
            setattr(datum, cached, found)
        return found
    return url


# A run's detail page (Backup Runs), for a Mistral execution.
run_detail_url = detail_link(RUN_DETAIL, 'id')


def restore_url(backup_id=None, **params):
    """The Restore panel at a backup (or ?server_id=, ?volume_id=)."""
    if backup_id:
        params['backup_id'] = backup_id
    return '%s?%s' % (reverse('horizon:project:backup_restore:index'),
                      urlencode(params))
