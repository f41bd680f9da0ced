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

"""Services' errors in the user's words: the one place that reads them.

Mistral, Cinder and Nova say what went wrong in their own words, with their
own ids and brackets (``Cron trigger not found [identifier=nightly]``,
``Backup 6f1c... could not be found.``, ``Cannot 'update tags' instance
... while it is in vm_state error``). The api layer raises Horizon's
exception types with a plain message instead (``not_found``, and
``translate_errors`` around every Mistral call), so that a view's
``exceptions.handle`` shows that message; forms and pages that word an
error themselves call ``explain``; ``handle`` is Horizon's
``exceptions.handle`` with those words as its details. No view or form
reads a service's text.

``RAW_MESSAGES`` lists every raw text recognised. An object of another
project is "not found" in the same words as a missing one, so that a page
never tells them apart. A text no pattern knows is never shown: it is
logged with its HTTP status, and the user reads what happened in general
words, by that status and by the service that said it (``general``); an
error that is no client's at all is "an unexpected error".
"""
import functools
import logging
import re
import sys

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from horizon import exceptions
from mistralclient.api import base as mistral_base
from openstack_dashboard import exceptions as os_exceptions
import requests

from backup_dashboard import errors as input_errors

LOG = logging.getLogger(__name__)

UNREACHABLE = _('The workflow service (Mistral) cannot be reached right '
                'now; no change was made. Try again in a moment.')

# What is missing, by kind; %(id)s is the name or id the user asked for.
NOT_FOUND = {
    'schedule': _('Schedule "%(id)s" was not found: it may have been '
                  'deleted.'),
    'run': _('Run %(id)s was not found: it may have been deleted.'),
    'restore': _('Restore %(id)s was not found: it may have been deleted.'),
    'backup': _('Backup %(id)s was not found: it may have been deleted.'),
    'volume': _('Volume %(id)s was not found: it may have been deleted.'),
    'instance': _('Instance %(id)s was not found: it may have been '
                  'deleted.'),
}
GONE = _('It no longer exists (deleted meanwhile).')
WORKFLOW_MISSING = _('The backup workflows are not installed in the '
                     'workflow service (Mistral). Ask your cloud operator '
                     'to install them; nothing was started.')
INSTANCE_STATE = _('Nova does not allow this while the instance is '
                   '%(state)s; it may have changed state meanwhile.')
INSTANCE_BUSY = _('Nova refused the change: the instance may have changed '
                  'state meanwhile.')
# Quotas Cinder enforces, with its numbers (a backup or volume too many).
BACKUP_LIMIT = _('Your project may keep at most %(allowed)s backups; delete '
                 'older ones or ask for a larger quota.')
VOLUME_LIMIT = _('Your project may have at most %(allowed)s volumes (quota '
                 '"%(name)s"); delete unused ones or ask for a larger quota.')
GIGABYTES_LIMIT = _('This needs %(requested)s GB, but your project has used '
                    '%(consumed)s of its %(quota)s GB of volume storage '
                    '(quota "%(name)s"); delete unused volumes or snapshots, '
                    'or ask for a larger quota.')
BACKUP_GIGABYTES_LIMIT = _('This backup needs %(requested)s GB, but your '
                           'project has used %(consumed)s of its %(quota)s '
                           'GB for backups; delete older ones or ask for a '
                           'larger quota.')

# A text no pattern knows, in general words: by its HTTP status, naming the
# service by the package of the client that raised it.
SERVICES = {
    'mistralclient': _('the workflow service (Mistral)'),
    'cinderclient': _('the volume service (Cinder)'),
    'novaclient': _('the compute service (Nova)'),
    'keystoneauth1': _('the identity service (Keystone)'),
    'keystoneclient': _('the identity service (Keystone)'),
}
SOME_SERVICE = _('the cloud')
REFUSED = _('%(service)s refused the request as invalid.')
NOT_ALLOWED = _('%(service)s did not allow this for your project.')
CHANGED = _('%(service)s refused the change: it conflicts with a change '
            'made meanwhile.')
OVER_QUOTA = _('%(service)s refused: a quota of your project would be '
               'exceeded.')
NO_ANSWER = _('%(service)s failed to answer; try again in a moment.')
UNEXPECTED = _('An unexpected error occurred.')
# The errors of clients Horizon knows (of other services, or the network's):
# these have a service to name, unlike a bug's.
_CLIENT_ERRORS = (os_exceptions.RECOVERABLE + os_exceptions.UNAUTHORIZED +
                  (mistral_base.APIException,))

# (service, raw text as the service words it, what the user reads). The
# patterns match anywhere in the text: clients add "(HTTP 404)" and a
# request id after it.
RAW_MESSAGES = (
    ('Mistral', r'Cron trigger not found \[(?:identifier|name|id)='
                r'(?P<id>[^\]]*)\]', NOT_FOUND['schedule']),
    ('Mistral', r'(?:Workflow)?Execution not found \[id=(?P<id>[^\]]*)\]',
     NOT_FOUND['run']),
    ('Mistral', r'Workflow not found \[workflow_identifier=',
     WORKFLOW_MISSING),
    ('Cinder', r'Backup (?P<id>\S+) could not be found\.',
     NOT_FOUND['backup']),
    ('Cinder', r'Volume (?P<id>\S+) could not be found\.',
     NOT_FOUND['volume']),
    ('Nova', r'Instance (?P<id>\S+) could not be found\.',
     NOT_FOUND['instance']),
    ('Nova', r"Cannot '[^']*' instance \S+ while it is in \w+ "
             r"(?P<state>\w+)", INSTANCE_STATE),
    ('Nova', r"Instance \S+ is in an invalid state for '", INSTANCE_BUSY),
    ('Cinder', r'Maximum number of backups allowed \((?P<allowed>\d+)\) '
               r'exceeded', BACKUP_LIMIT),
    ('Cinder', r"Maximum number of volumes allowed \((?P<allowed>\d+)\) "
               r"exceeded for quota '(?P<name>[^']*)'", VOLUME_LIMIT),
    ('Cinder', r'Requested volume or snapshot exceeds allowed (?P<name>\S+) '
               r'quota\. Requested (?P<requested>\d+)G, quota is '
               r'(?P<quota>\d+)G and (?P<consumed>\d+)G has been consumed',
     GIGABYTES_LIMIT),
    ('Cinder', r'Requested backup exceeds allowed Backup gigabytes quota\. '
               r'Requested (?P<requested>\d+)G, quota is (?P<quota>\d+)G '
               r'and (?P<consumed>\d+)G has been consumed',
     BACKUP_GIGABYTES_LIMIT),
)
_PATTERNS = [(re.compile(pattern), plain)
             for _service, pattern, plain in RAW_MESSAGES]


class ServiceUnavailable(exceptions.RecoverableError):
    """Mistral did not answer (connection refused, timeout, 5xx)."""


def missing(kind, ident):
    """The words for a missing `kind` of object, named by `ident`.

    The words for a `kind` of NOT_FOUND that is missing or another project's,
    naming it by the `ident` the user asked for.
    """
    return str(NOT_FOUND[kind]) % {'id': ident}


def not_found(kind, ident):
    """Horizon's NotFound, in the words of ``missing``."""
    return exceptions.NotFound(missing(kind, ident))


def status(error):
    """The HTTP status a client error carries (None if it has none)."""
    for name in ('error_code', 'http_status', 'status_code', 'code'):
        value = getattr(error, name, None)
        if isinstance(value, int):
            return value
    return None


def is_not_found(error):
    return isinstance(error, (exceptions.NotFound,) +
                      os_exceptions.NOT_FOUND) or status(error) == 404


def _text(error):
    return str(getattr(error, 'error_message', None) or
               getattr(error, 'message', None) or str(error) or
               error.__class__.__name__)


def plain(text):
    """The plain words for a raw service text RAW_MESSAGES knows, or None."""
    for pattern, words in _PATTERNS:
        found = pattern.search(text or '')
        if found:
            values = found.groupdict()
            if 'state' in values:           # Nova's vm_state, in words
                values['state'] = values['state'].replace('_', ' ')
            return str(words) % values
    return None


def explain(error):
    """What went wrong, in the user's words, for a form or a message."""
    text = _text(error)
    words = plain(text)
    if words:
        return words
    if isinstance(error, (exceptions.HorizonException,
                          input_errors.InputError)):
        return text         # the plugin's own words (as Horizon trusts them)
    if is_not_found(error):
        return str(GONE)
    if status(error) == 409 and 'novaclient' in type(error).__module__:
        return str(INSTANCE_BUSY)
    return general(error, text)


def reason(error):
    """``explain`` without its full stop, for a caller's "(%s)." or "%s."."""
    return explain(error).rstrip('. ')


def general(error, text):
    """General words for `error`, whose `text` no pattern knows.

    The words say what the HTTP status means, naming the service whose
    client raised it; the text itself goes to the log only. An error of no
    client (a bug) is "unexpected", logged with its traceback.
    """
    code = status(error)
    package = type(error).__module__.split('.')[0]
    service = SERVICES.get(package)
    if code is None and service is None and \
            not isinstance(error, _CLIENT_ERRORS):
        LOG.error('Unexpected error: %s', text, exc_info=error)
        return str(UNEXPECTED)
    LOG.warning('%s said (HTTP %s): %s', package, code, text)
    if code == 413 or (code and 400 <= code < 500 and
                       'quota' in text.lower()):
        words = OVER_QUOTA      # Nova says a quota is exceeded with a 403
    elif code in (401, 403):
        words = NOT_ALLOWED
    elif code == 409:
        words = CHANGED
    elif code is None or code >= 500:
        words = NO_ANSWER
    else:
        words = REFUSED
    return capfirst(str(words) % {'service': service or SOME_SERVICE})


def details(error):
    """``details`` for ``horizon.exceptions.handle``.

    Horizon shows the text of its own exception types as the message, and by
    default the same text again as details; a client's error is explained
    instead of quoted.
    """
    if isinstance(error, exceptions.HorizonException):
        return ''
    return explain(error)


def handle(request, message, **kwargs):
    """``horizon.exceptions.handle`` of the error at hand, in plain words.

    Without ``details`` Horizon appends the exception's own text to
    `message`: a client's raw text. Takes ``redirect``, ``escalate`` etc.
    """
    error = sys.exc_info()[1]
    return exceptions.handle(request, message, details=(
        '' if error is None else details(error)), **kwargs)


def translate_errors(func):
    """Raise Horizon's exception types, in plain words, for Mistral's.

    ``horizon.exceptions.handle`` re-raises anything it does not know
    (mistralclient's APIException among them), which would be a 500 page;
    translated, it becomes a message on the page instead.
    """
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except mistral_base.APIException as error:
            raise _from_mistral(error)
        except requests.RequestException:
            raise ServiceUnavailable(str(UNREACHABLE))
    return wrapper


def _from_mistral(error):
    message = _text(error)
    code = error.error_code
    words = plain(message)
    if words is not None or code == 404:
        LOG.info('Mistral said (HTTP %s): %s', code, message)
    if code == 404:
        return exceptions.NotFound(words or str(GONE))
    # Horizon shows the text of its own types as it is: never Mistral's.
    words = words or general(error, message)
    if code == 409:
        return exceptions.Conflict(words)
    if code in (401, 403):
        return exceptions.NotAuthorized(words)
    if code is None or code >= 500:
        return ServiceUnavailable(words)
    return exceptions.BadRequest(words)
