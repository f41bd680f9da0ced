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

"""Nova calls the plugin needs, through a novaclient on the request's token.

Server tags and the ``tags``/``tags-any`` filters need compute API 2.26, so
the client is a novaclient at that microversion, one per request; servers
come back in Horizon's ``nova.Server`` wrapper. Listing follows Nova's own
"next" links.
"""
from urllib import parse

from django.conf import settings
from horizon.utils import memoized
from keystoneauth1 import session
from keystoneauth1 import token_endpoint
from novaclient import client as nova_client
from novaclient import exceptions as nova_exceptions
from novaclient.v2 import servers as nova_servers
from openstack_auth import utils as auth_utils
from openstack_dashboard.api import base
from openstack_dashboard.api import neutron
from openstack_dashboard.api import nova

from backup_dashboard.api import errors
from backup_dashboard.api import quota

# Server tags and the `tags`/`tags-any` filters exist from 2.26 on.
TAGS_MICROVERSION = '2.26'
# Keep query strings well below common URL limits (8 KiB in many proxies).
_MAX_FILTER_CHARS = 4000


@memoized.memoized
def _client(request):
    """This request's novaclient at TAGS_MICROVERSION, on its token alone.

    Horizon's ``_nova.novaclient`` authenticates the token with Keystone
    again (version discovery, then a token request) on each page; a call
    needs only the token and the catalog's compute endpoint, which is how
    Horizon's own ``_nova.computeclient`` builds its session.
    """
    insecure = getattr(settings, 'OPENSTACK_SSL_NO_VERIFY', False)
    verify = getattr(settings, 'OPENSTACK_SSL_CACERT', None) \
        if not insecure else False
    endpoint = base.url_for(request, 'compute')
    return nova_client.Client(
        TAGS_MICROVERSION, endpoint_override=endpoint,
        session=session.Session(
            auth=token_endpoint.Token(endpoint, request.user.token.id),
            original_ip=auth_utils.get_client_ip(request), verify=verify))


def _servers_list(client, search_opts=None):
    """Every server matching `search_opts`, following Nova's "next" links.

    Every server matching `search_opts`, page after page, following Nova's
    "next" link: one call when they fit in one page. novaclient's ``limit=-1``
    always asks once more, for an empty page.
    """
    query = dict(search_opts or {})
    found = []
    while True:
        url = '/servers/detail'
        if query:
            url += '?' + parse.urlencode(sorted(query.items()))
        _resp, body = client.client.get(url)
        page = [nova_servers.Server(client.servers, item, loaded=True)
                for item in body.get('servers') or [] if item]
        found.extend(page)
        more = any(link.get('rel') == 'next'
                   for link in body.get('servers_links') or ())
        if not (page and more):
            return found
        query['marker'] = page[-1].id


def servers_with_any_tag(request, tags):
    """Servers of the project carrying any of `tags` (all pages).

    One call when the tags fit in one query string; otherwise every server
    of the project is listed once and filtered here, so the number of calls
    never grows with the number of tags.
    """
    tags = sorted(set(tags))
    if not tags:
        return []
    joined = ','.join(tags)
    client = _client(request)
    if len(joined) <= _MAX_FILTER_CHARS:
        servers = _servers_list(client, {'tags-any': joined})
    else:
        wanted = set(tags)
        servers = [s for s in _servers_list(client)
                   if wanted.intersection(server_tags(s))]
    return [nova.Server(s, request) for s in servers]


def _raw(server):
    # Horizon's Server wrapper exposes a fixed attribute list that has
    # neither tags nor attached volumes; read them from the novaclient object.
    return getattr(server, '_apiresource', server)


def server_tags(server):
    return list(getattr(_raw(server), 'tags', None) or ())


def count_by_tag(servers, tags):
    """{tag: number of servers carrying it}."""
    counts = dict.fromkeys(tags, 0)
    for server in servers:
        for tag in server_tags(server):
            if tag in counts:
                counts[tag] += 1
    return counts


def attached_volume_ids(server):
    return [attachment['id'] for attachment in
            getattr(_raw(server), 'os-extended-volumes:volumes_attached',
                    None) or []]


# --- one instance: read it, change its backup tags (Instances integration) --

# Nova changes tags only in these states (else 409); Nova's STOPPED vm_state
# is shown as the SHUTOFF status.
TAGGABLE_STATUSES = ('ACTIVE', 'PAUSED', 'SUSPENDED', 'SHUTOFF')
MAX_TAGS = 50


def server_get(request, server_id):
    """The server at 2.26+, so that its tags come with it."""
    return nova.Server(_client(request).servers.get(server_id), request)


def server_add_tag(request, server_id, tag):
    _client(request).servers.add_tag(server_id, tag)


def server_delete_tag(request, server_id, tag):
    _client(request).servers.delete_tag(server_id, tag)


# --- Restore: the project's instances, and one of them read safely ----------

# Nova attaches volumes in these states (STOPPED is shown as SHUTOFF).
ATTACHABLE_STATUSES = ('ACTIVE', 'PAUSED', 'SHUTOFF', 'SHELVED',
                       'SHELVED_OFFLOADED')


def all_servers(request):
    """Every server of every project, with its tags (admin only)."""
    return _servers_list(_client(request), {'all_tenants': True})


def project_servers(request):
    """Every instance of the project (all pages), with attached volumes."""
    return [nova.Server(s, request)
            for s in _servers_list(_client(request))]


def server_get_own(request, server_id):
    """One instance of the user's project.

    Nova shows admins every project's instances: another project's is "not
    found" here too, in the same plain words as a missing one
    (``errors.not_found``).
    """
    try:
        server = server_get(request, server_id)
    except nova_exceptions.NotFound:
        raise errors.not_found('instance', server_id)
    owner = getattr(_raw(server), 'tenant_id', None)
    if owner and owner != request.user.tenant_id:
        raise errors.not_found('instance', server_id)
    return server


# --- what a new server restored from a point may use ----------------------

def flavors(request):
    """The flavors the user may boot (Horizon's list), by name."""
    return sorted(nova.flavor_list(request), key=lambda f: f.name.lower())


def networks(request):
    """The networks the project may attach a new server to."""
    return neutron.network_list_for_tenant(request,
                                           request.user.project_id)


def server_room(request):
    """What the compute quota still allows: {'instances', 'cores', 'ram'}.

    None where unlimited or unknown.
    """
    limits = nova.tenant_absolute_limits(request, reserved=True)
    return {'instances': quota.left(limits, 'maxTotalInstances',
                                    'totalInstancesUsed'),
            'cores': quota.left(limits, 'maxTotalCores', 'totalCoresUsed'),
            'ram': quota.left(limits, 'maxTotalRAMSize', 'totalRAMUsed')}
