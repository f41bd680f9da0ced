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

"""The form that restores a whole instance restore point.

As a new server (its boot volume and data volumes restored, the server
booted from the first with the recorded flavor or one picked) or onto the
same instance (its data volumes only: a boot volume cannot be swapped in
place). Per volume a name, a volume type and a zone, filled in before the
form is shown; what is sent is what was typed, or it is refused with the
limit. Before anything starts the form checks, against what the services
say now, that every backup is still available, that the quotas hold every
volume, its gigabytes and the server, and that an incomplete point has the
user's consent. The restore itself is the bundled
``backup_dashboard_point_restore`` workflow, which rolls back what it made
when a step fails.
"""
import logging
import unicodedata

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from horizon import forms
from horizon import messages

from backup_dashboard import api
from backup_dashboard.dashboards.common import fields
from backup_dashboard import points

LOG = logging.getLogger(__name__)
SERVER_NAME_MAX = 255               # Nova's limit on a server's name
TARGETS = ((points.NEW_SERVER, _("A new server")),
           (points.INSTANCE, _("The same instance (data volumes only)")))
WHY_NOT = {
    'no_boot': _("This point has no restorable backup of the instance's "
                 "boot volume, so it cannot build a new server. Restore its "
                 "data volumes to an instance instead."),
    'no_data': _("This point holds only the boot volume, which cannot be "
                 "swapped in place on a running instance. Restore it as a "
                 "new server instead."),
}
QUOTA_WORDS = {
    'volumes': _("volumes: %(left)s left, this restore needs %(need)s"),
    'gigabytes': _("volume gigabytes: %(left)s GB left, this restore needs "
                   "%(need)s GB"),
    'instances': _("instances: %(left)s left, this restore needs %(need)s"),
    'cores': _("VCPUs: %(left)s left, the flavor needs %(need)s"),
    'ram': _("RAM: %(left)s MB left, the flavor needs %(need)s MB"),
}


def _printable(char):
    # Nova's rule for a server's name: no control or format character, no
    # line or paragraph separator (nova/api/validation/parameter_types.py)
    category = unicodedata.category(char)
    return not category.startswith('C') and \
        (not category.startswith('Z') or category == 'Zs')


def server_name_problem(name):
    """Why Nova would refuse `name` for a new server, or None."""
    if name != name.strip():
        return _('A server name cannot begin or end with a space.')
    if not all(_printable(char) for char in name):
        return _('A server name holds printable characters only (no tab, '
                 'line break, control or invisible formatting '
                 'character).')
    return None


def default_name(member, names, suffix='-restored'):
    base = names.get(member.volume) or member.volume or member.backup.id
    keep = api.storage.VOLUME_NAME_MAX - len(suffix)
    return '%s%s' % (base[:keep], suffix)


class PointRestoreForm(forms.SelfHandlingForm):
    target = forms.ChoiceField(label=_("Restore to"),
                               widget=forms.RadioSelect())
    server_name = fields.LimitedCharField(
        label=_("New server name"), limit=SERVER_NAME_MAX, required=False)
    flavor = forms.ChoiceField(label=_("Flavor"), required=False)
    network = forms.ChoiceField(label=_("Network"), required=False)
    consent = forms.BooleanField(
        label=_("Restore the volumes this point has"), required=False)

    def __init__(self, request, *args, **kwargs):
        self.page = kwargs.pop('page')
        super().__init__(request, *args, **kwargs)
        page = self.page
        self.fields['target'].choices = [
            t for t in TARGETS if t[0] == points.NEW_SERVER or
            page.server is not None]
        self.fields['flavor'].choices = [('', _("Choose a flavor"))] + [
            (f.id, '%s (%s VCPU, %s MB RAM)' % (f.name, f.vcpus, f.ram))
            for f in page.flavors]
        self.fields['network'].choices = [('', _("No network"))] + [
            (n.id, n.name or n.id) for n in page.networks]
        types = [('', _("Default type"))] + [
            (t.name, t.name) for t in page.volume_types]
        zones = [('', _("Any zone"))] + [(z, z) for z in page.zones]
        for index, member in enumerate(page.point.restorable):
            label = member.device or member.volume
            self.fields['name_%d' % index] = fields.LimitedCharField(
                label=_("Name of the volume for %s") % label,
                limit=api.storage.VOLUME_NAME_MAX, required=False)
            self.fields['volume_type_%d' % index] = forms.ChoiceField(
                label=_("Volume type"), choices=types, required=False)
            self.fields['availability_zone_%d' % index] = \
                forms.ChoiceField(label=_("Availability zone"),
                                  choices=zones, required=False)

    def member_fields(self):
        """(member, its name, type and zone bound fields) per volume."""
        return [(member, self['name_%d' % i], self['volume_type_%d' % i],
                 self['availability_zone_%d' % i])
                for i, member in enumerate(self.page.point.restorable)]

    # -- checks, against what the services said on this request ----------

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        target = data['target']
        members, why = points.members_to_restore(self.page.point, target)
        if why:
            self.add_error('target', WHY_NOT[why])
            return data
        chosen = {id(m) for m in members}
        self.members = [
            (i, m) for i, m in enumerate(self.page.point.restorable)
            if id(m) in chosen]
        for index, member in self.members:
            if not (data.get('name_%d' % index) or '').strip():
                self.add_error('name_%d' % index, _(
                    'Enter a name for the new volume (at most %d '
                    'characters).') % api.storage.VOLUME_NAME_MAX)
        flavor = None
        if target == points.NEW_SERVER:
            flavor = self._clean_new_server(data)
        else:
            self._clean_instance()
        self._clean_consent(data)
        if not self.errors:
            self._clean_quota(members, flavor)
        return data

    def _clean_new_server(self, data):
        name = data.get('server_name') or ''
        if not name.strip():
            self.add_error('server_name', _(
                'Enter a name for the new server (at most %d characters).')
                % SERVER_NAME_MAX)
        elif server_name_problem(name):
            self.add_error('server_name', server_name_problem(name))
        flavor = next((f for f in self.page.flavors
                       if f.id == data.get('flavor')), None)
        if flavor is None:
            self.add_error('flavor', _('Choose the new server\'s flavor.'))
        return flavor

    def _clean_instance(self):
        server = self.page.server
        if server.status not in api.compute.ATTACHABLE_STATUSES:
            self.add_error('target', _(
                'Instance %(name)s is %(status)s; volumes can be attached '
                'when it is active, paused, shut off or shelved.') % {
                'name': server.name, 'status': server.status})

    def _clean_consent(self, data):
        point = self.page.point
        if not point.complete and not data.get('consent'):
            self.add_error('consent', ngettext(
                'This point is incomplete: %(missing)d of the instance\'s '
                'volumes has no restorable backup in it. Tick to restore '
                'the %(have)d that it has.',
                'This point is incomplete: %(missing)d of the instance\'s '
                'volumes have no restorable backup in it. Tick to restore '
                'the %(have)d that it has.', point.missing) % {
                'missing': point.missing, 'have': len(point.restorable)})

    def _clean_quota(self, members, flavor):
        need = points.needs(members, flavor=(flavor.vcpus, flavor.ram)
                            if flavor is not None else None)
        room = dict(self.page.volume_room or {})
        room.update(self.page.server_room or {})
        short = points.shortfall(need, room)
        if short:
            self.add_error(None, _(
                'Your project\'s quota cannot hold this restore, so nothing '
                'was created: %s.') % '; '.join(
                str(QUOTA_WORDS[key] % {'need': n, 'left': left})
                for key, n, left in short))

    # -- start ------------------------------------------------------------

    def handle(self, request, data):
        members = [{
            'backup_id': m.backup.id, 'device': m.device, 'boot': m.boot,
            'name': data['name_%d' % i],
            'volume_type': data.get('volume_type_%d' % i) or None,
            'availability_zone':
                data.get('availability_zone_%d' % i) or None,
            'size': m.backup.size} for i, m in self.members]
        page = self.page
        try:
            execution = api.restores.point_restore_start(
                request, members, data['target'],
                server_id=page.point.server,
                server_name=data.get('server_name'),
                flavor=data.get('flavor'), network_id=data.get('network'))
        except Exception as error:
            LOG.info('Point restore not started: %s', error)
            self.api_error(_('The restore could not be started: %s')
                           % api.errors.explain(error))
            return False
        messages.info(request, ngettext(
            'The restore of %(count)d volume of %(name)s was started.',
            'The restore of %(count)d volumes of %(name)s was started.',
            len(members)) % {'count': len(members),
                             'name': page.point.server_name or
                             page.point.server})
        return execution

    @staticmethod
    def success_url(execution):
        return reverse('horizon:project:backup_restore:point_progress',
                       args=[execution.id])
