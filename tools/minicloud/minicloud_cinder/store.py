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

"""File logic of the minicloud volume driver (standard library only).

Volumes and snapshots are sparse files in one folder.  A consumer that does
I/O (the backup service, a restore, an attach) gets a loop device over the
file (``losetup -f --show``), detached again when its connection ends.  Where
``losetup`` is not permitted the plain file is handed out instead, and its
size is put back after the connection ends (a restore opens the path with
'wb', which truncates a regular file).
"""

import json
import os
import subprocess
import threading

GiB = 1024 ** 3
CHUNK = 1024 * 1024


def run(cmd):
    """Run a command, return its stdout; raise OSError on failure."""
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise OSError("%s failed (%d): %s" % (" ".join(cmd), proc.returncode,
                                              proc.stderr.strip()))
    return proc.stdout


def sparse_copy(src, dst, size=None):
    """Copy src to dst, leaving holes where src has only zeros."""
    zero = bytes(CHUNK)
    tmp = dst + ".part"
    with open(src, "rb") as fin, open(tmp, "wb") as fout:
        while True:
            block = fin.read(CHUNK)
            if not block:
                break
            if block == zero[:len(block)]:
                fout.seek(len(block), os.SEEK_CUR)
            else:
                fout.write(block)
        fout.truncate(fin.tell() if size is None else size)
    os.replace(tmp, dst)


def allocated_bytes(path):
    return os.stat(path).st_blocks * 512


class FileStore(object):
    """Sparse files and their loop-device connections in one folder."""

    def __init__(self, root, use_loop="auto", runner=run):
        self.root = root
        self.use_loop = use_loop  # "auto", "yes" or "no"
        self.run = runner
        self._lock = threading.Lock()
        self._loop_ok = None

    # files
    def path(self, name):
        if "/" in name or name.startswith("."):
            raise ValueError("bad name %r" % name)
        return os.path.join(self.root, name)

    def setup(self):
        os.makedirs(self.root, exist_ok=True)

    def create(self, name, size_gb):
        path = self.path(name)
        with open(path, "xb") as f:
            f.truncate(size_gb * GiB)
        return path

    def delete(self, name):
        path = self.path(name)
        self.detach_all(name)
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass

    def exists(self, name):
        return os.path.exists(self.path(name))

    def size_gb(self, name):
        return os.path.getsize(self.path(name)) // GiB

    def copy(self, src, dst, size_gb=None):
        """Sparse copy src to dst, optionally growing dst to size_gb."""
        size = None
        if size_gb is not None:
            size = max(size_gb * GiB, os.path.getsize(self.path(src)))
        sparse_copy(self.path(src), self.path(dst), size)

    def copy_many(self, pairs):
        """(src, dst) copies back to back, no attach or detach between."""
        with self._lock:
            for src, dst in pairs:
                sparse_copy(self.path(src), self.path(dst))

    def extend(self, name, size_gb):
        path = self.path(name)
        if size_gb * GiB < os.path.getsize(path):
            raise ValueError("cannot shrink %s" % name)
        os.truncate(path, size_gb * GiB)
        with self._lock:
            state = self._load()
            if name in state.get(".sizes", {}):
                state[".sizes"][name] = size_gb * GiB
                self._save(state)
        for dev in self._loops_of(path):
            try:
                self.run(["losetup", "-c", dev])
            except OSError:
                pass

    def names(self):
        return sorted(n for n in os.listdir(self.root)
                      if not n.startswith(".") and not n.endswith(".part"))

    def usage(self):
        """(apparent GiB of all files, allocated bytes of all files)."""
        apparent = allocated = 0
        for n in self.names():
            p = self.path(n)
            apparent += os.path.getsize(p)
            allocated += allocated_bytes(p)
        return apparent / GiB, allocated

    # connections
    @property
    def _state_file(self):
        return os.path.join(self.root, ".connections.json")

    def _load(self):
        try:
            with open(self._state_file) as f:
                return json.load(f)
        except (FileNotFoundError, ValueError):
            return {}

    def _save(self, state):
        tmp = self._state_file + ".tmp"
        with open(tmp, "w") as f:
            json.dump(state, f, indent=1, sort_keys=True)
        os.replace(tmp, self._state_file)

    def _loops_of(self, path):
        try:
            out = self.run(["losetup", "-j", path])
        except OSError:
            return []
        return [line.split(":", 1)[0] for line in out.splitlines()
                if line.strip()]

    def loop_available(self):
        if self.use_loop == "no":
            return False
        if self.use_loop == "yes":
            return True
        if self._loop_ok is None:
            try:
                self.run(["losetup", "-f"])
                self._loop_ok = True
            except OSError:
                self._loop_ok = False
        return self._loop_ok

    def attach(self, name, key):
        """Return the device path to hand out for (name, connector key)."""
        path = self.path(name)
        with self._lock:
            state = self._load()
            conns = state.setdefault(name, {})
            dev = conns.get(key)
            if dev and dev != path and dev in self._loops_of(path):
                return dev
            if dev == path:
                return path
            if self.loop_available():
                try:
                    dev = self.run(["losetup", "-f", "--show", path]).strip()
                except OSError:
                    if self.use_loop == "yes":
                        raise
                    self._loop_ok = False
                    dev = path
            else:
                dev = path
            conns[key] = dev
            if dev == path:
                state.setdefault(".sizes", {})[name] = os.path.getsize(path)
            self._save(state)
            return dev

    def detach(self, name, key=None):
        """End one connection (key) or all of them (key None)."""
        path = self.path(name)
        with self._lock:
            state = self._load()
            conns = state.get(name, {})
            keys = list(conns) if key is None else [key]
            for k in keys:
                dev = conns.pop(k, None)
                if dev is None:
                    continue
                if dev != path:
                    if dev in self._loops_of(path):
                        self.run(["losetup", "-d", dev])
                elif os.path.exists(path):
                    # plain file handed out: a restore may have truncated it
                    size = state.get(".sizes", {}).get(name)
                    if size and os.path.getsize(path) < size:
                        os.truncate(path, size)
            if not conns:
                state.pop(name, None)
                state.get(".sizes", {}).pop(name, None)
            self._save(state)

    def detach_all(self, name):
        self.detach(name)
        for dev in self._loops_of(self.path(name)):
            try:
                self.run(["losetup", "-d", dev])
            except OSError:
                pass

    def connections(self, name):
        return dict(self._load().get(name, {}))
