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

"""Unit tests of the minicloud Cinder driver's file logic.

Run in the services' venv (they import cinder for the driver part):
    .minicloud/venv/bin/python -m unittest discover \
        -s tools/minicloud/tests -t tools/minicloud
"""

import os
import shutil
import subprocess
import tempfile
import types
import unittest
import unittest.mock

from minicloud_cinder.store import FileStore
from minicloud_cinder.store import GiB


class FakeLosetup(object):
    """Records losetup calls and keeps a table of loop devices."""

    def __init__(self, permitted=True):
        self.permitted = permitted
        self.loops = {}  # dev -> path
        self.calls = []

    def __call__(self, cmd):
        self.calls.append(cmd)
        assert cmd[0] == "losetup"
        if not self.permitted:
            raise OSError("losetup: permission denied")
        args = cmd[1:]
        if args == ["-f"]:
            return "/dev/loop%d\n" % len(self.loops)
        if args[:2] == ["-f", "--show"]:
            n = 0
            while "/dev/loop%d" % n in self.loops:
                n += 1
            dev = "/dev/loop%d" % n
            self.loops[dev] = args[2]
            return dev + "\n"
        if args[0] == "-j":
            return "".join("%s: []:1 (%s)\n" % (d, p)
                           for d, p in sorted(self.loops.items())
                           if p == args[1])
        if args[0] == "-d":
            del self.loops[args[1]]
            return ""
        if args[0] == "-c":
            return ""
        raise AssertionError(cmd)


class StoreTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.los = FakeLosetup()
        self.store = FileStore(self.dir, runner=self.los)
        self.store.setup()

    def test_create_is_sparse_and_sized(self):
        path = self.store.create("volume-a", 2)
        self.assertEqual(os.path.getsize(path), 2 * GiB)
        self.assertLess(os.stat(path).st_blocks * 512, 1024 * 1024)
        self.assertEqual(self.store.size_gb("volume-a"), 2)
        with self.assertRaises(FileExistsError):
            self.store.create("volume-a", 1)

    def test_bad_names_refused(self):
        for name in ("../x", ".connections.json", "a/b"):
            with self.assertRaises(ValueError):
                self.store.path(name)

    def test_copy_keeps_data_and_holes_and_grows(self):
        src = self.store.create("volume-a", 1)
        with open(src, "r+b") as f:
            f.seek(5 * 1024 * 1024)
            f.write(b"hello")
        self.store.copy("volume-a", "snapshot-s")
        self.store.copy("snapshot-s", "volume-b", size_gb=2)
        dst = self.store.path("volume-b")
        self.assertEqual(os.path.getsize(self.store.path("snapshot-s")), GiB)
        self.assertEqual(os.path.getsize(dst), 2 * GiB)
        with open(dst, "rb") as f:
            f.seek(5 * 1024 * 1024)
            self.assertEqual(f.read(5), b"hello")
        self.assertLess(os.stat(dst).st_blocks * 512, 4 * 1024 * 1024)
        self.assertNotIn("volume-b.part", os.listdir(self.dir))

    def test_extend_and_no_shrink(self):
        self.store.create("volume-a", 1)
        self.store.extend("volume-a", 3)
        self.assertEqual(self.store.size_gb("volume-a"), 3)
        with self.assertRaises(ValueError):
            self.store.extend("volume-a", 2)

    def test_attach_gives_loop_and_detach_frees_it(self):
        self.store.create("volume-a", 1)
        dev = self.store.attach("volume-a", "host|fake")
        self.assertEqual(dev, "/dev/loop0")
        # same connector again: same device
        self.assertEqual(self.store.attach("volume-a", "host|fake"), dev)
        # another consumer (backup service): its own device
        dev2 = self.store.attach("volume-a", "host|None")
        self.assertEqual(dev2, "/dev/loop1")
        self.store.detach("volume-a", "host|None")
        self.assertEqual(self.los.loops, {dev: self.store.path("volume-a")})
        self.assertEqual(self.store.connections("volume-a"),
                         {"host|fake": dev})
        self.store.detach("volume-a", "unknown")  # harmless
        self.store.detach("volume-a", "host|fake")
        self.assertEqual(self.los.loops, {})
        self.assertEqual(self.store.connections("volume-a"), {})

    def test_delete_detaches_everything(self):
        self.store.create("volume-a", 1)
        self.store.attach("volume-a", "k1")
        self.store.attach("volume-a", "k2")
        self.store.delete("volume-a")
        self.assertEqual(self.los.loops, {})
        self.assertFalse(self.store.exists("volume-a"))
        self.store.delete("volume-a")  # idempotent

    def test_fallback_to_plain_file_restores_size(self):
        store = FileStore(self.dir, runner=FakeLosetup(permitted=False))
        path = store.create("volume-a", 1)
        dev = store.attach("volume-a", "backup")
        self.assertEqual(dev, path)
        with open(dev, "wb") as f:  # what a restore does
            f.write(b"x" * 4096)
        self.assertEqual(os.path.getsize(path), 4096)
        store.detach("volume-a", "backup")
        self.assertEqual(os.path.getsize(path), GiB)
        with open(path, "rb") as f:
            self.assertEqual(f.read(4096), b"x" * 4096)

    def test_usage(self):
        self.store.create("volume-a", 1)
        self.store.create("volume-b", 2)
        apparent, allocated = self.store.usage()
        self.assertEqual(apparent, 3)
        self.assertGreaterEqual(allocated, 0)


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("losetup"),
                     "needs root and losetup")
class RealLoopTest(unittest.TestCase):
    def test_real_loop_roundtrip(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        store = FileStore(d)
        store.setup()
        if not store.loop_available():
            self.skipTest("losetup not permitted here")
        path = store.create("volume-a", 1)
        dev = store.attach("volume-a", "k")
        self.addCleanup(store.delete, "volume-a")
        self.assertTrue(dev.startswith("/dev/loop"))
        with open(dev, "wb") as f:  # 'wb' on a device does not truncate
            f.write(b"data" * 1024)
        store.detach("volume-a", "k")
        self.assertEqual(os.path.getsize(path), GiB)
        self.assertEqual(store.connections("volume-a"), {})
        out = subprocess.run(["losetup", "-j", path], capture_output=True,
                             text=True).stdout
        self.assertEqual(out.strip(), "")


try:
    from minicloud_cinder import driver as driver_mod
except ImportError:  # not in the services' venv
    driver_mod = None


class FakeConf(object):
    def __init__(self, **values):
        self.values = values

    def append_config_values(self, opts):
        pass

    def safe_get(self, name):
        return self.values.get(name)

    def __getattr__(self, name):
        try:
            return self.values[name]
        except KeyError:
            return None


@unittest.skipIf(driver_mod is None, "cinder not importable")
class DriverTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        conf = FakeConf(minicloud_volume_dir=self.dir,
                        minicloud_use_loop="auto", minicloud_capacity_gb=100,
                        volume_backend_name="local")
        self.drv = driver_mod.LocalFileDriver(configuration=conf)
        self.los = FakeLosetup()
        self.drv.store.run = self.los
        self.drv.do_setup(None)

    def vol(self, vid, size=1):
        return types.SimpleNamespace(id=vid, name="volume-" + vid, size=size)

    def test_lifecycle(self):
        v = self.vol("a")
        self.drv.create_volume(v)
        snap = types.SimpleNamespace(name="snapshot-s", volume_name=v.name)
        self.drv.create_snapshot(snap)
        v2 = self.vol("b", 2)
        self.drv.create_volume_from_snapshot(v2, snap)
        v3 = self.vol("c")
        self.drv.create_cloned_volume(v3, v)
        self.assertEqual(sorted(os.listdir(self.dir)),
                         ["snapshot-s", "volume-a", "volume-b", "volume-c"])
        self.assertEqual(os.path.getsize(os.path.join(self.dir, "volume-b")),
                         2 * GiB)
        self.drv.extend_volume(v, 4)
        stats = self.drv.get_volume_stats(refresh=True)
        self.assertEqual(stats["volume_backend_name"], "local")
        self.assertEqual(stats["storage_protocol"], "local")
        self.assertEqual(stats["total_capacity_gb"], 100)
        self.assertEqual(stats["free_capacity_gb"], 100 - 4 - 1 - 2 - 1)
        for obj in (v, v2, v3):
            self.drv.delete_volume(obj)
        self.drv.delete_snapshot(snap)
        self.assertEqual(os.listdir(self.dir), [".connections.json"]
                         if os.path.exists(os.path.join(
                             self.dir, ".connections.json")) else [])

    def test_connection_is_local_loop(self):
        v = self.vol("a")
        self.drv.create_volume(v)
        nova = {"host": "h", "initiator": "fake"}
        conn = self.drv.initialize_connection(v, nova)
        self.assertEqual(conn, {"driver_volume_type": "local",
                                "data": {"device_path": "/dev/loop0"}})
        backup = {"host": "h"}
        conn2 = self.drv.initialize_connection(v, backup)
        self.assertEqual(conn2["data"]["device_path"], "/dev/loop1")
        self.drv.terminate_connection(v, backup)
        self.assertEqual(list(self.los.loops), ["/dev/loop0"])
        self.drv.terminate_connection(v, None)  # force: all of them
        self.assertEqual(self.los.loops, {})

    def test_snapshot_connection(self):
        v = self.vol("a")
        self.drv.create_volume(v)
        snap = types.SimpleNamespace(name="snapshot-s", volume_name=v.name)
        self.drv.create_snapshot(snap)
        conn = self.drv.initialize_connection_snapshot(snap, {"host": "h"})
        self.assertEqual(conn["driver_volume_type"], "local")
        self.drv.terminate_connection_snapshot(snap, {"host": "h"})
        self.assertEqual(self.los.loops, {})

    def test_missing_file_is_an_error(self):
        with self.assertRaises(
                driver_mod.exception.VolumeBackendAPIException):
            self.drv.initialize_connection(self.vol("zz"), {})


if __name__ == "__main__":
    unittest.main()

    def test_consistent_group_snapshot(self):
        a, b = self.vol("a"), self.vol("b")
        for v in (a, b):
            self.drv.create_volume(v)
        with open(os.path.join(self.dir, a.name), "r+b") as f:
            f.write(b"written before")
        snaps = [types.SimpleNamespace(id="s%d" % i, name="snapshot-%d" % i,
                                       volume_name=v.name)
                 for i, v in enumerate((a, b))]
        cg = types.SimpleNamespace()
        with unittest.mock.patch.object(
                driver_mod.volume_utils, "is_group_a_cg_snapshot_type",
                return_value=True):
            model, snap_models = self.drv.create_group_snapshot(
                None, cg, snaps)
            self.assertEqual(model, {"status": "available"})
            self.assertEqual([m["status"] for m in snap_models],
                             ["available", "available"])
            with open(os.path.join(self.dir, "snapshot-0"), "rb") as f:
                self.assertEqual(f.read(14), b"written before")
            self.assertTrue(os.path.exists(
                os.path.join(self.dir, "snapshot-1")))
            model, _ = self.drv.delete_group_snapshot(None, cg, snaps)
            self.assertEqual(model, {"status": "deleted"})
        self.assertFalse(os.path.exists(os.path.join(self.dir, "snapshot-0")))
        self.assertTrue(self.drv.get_volume_stats(refresh=True)[
            "consistent_group_snapshot_enabled"])

    def test_other_groups_are_left_to_cinder(self):
        with unittest.mock.patch.object(
                driver_mod.volume_utils, "is_group_a_cg_snapshot_type",
                return_value=False):
            for call in (lambda: self.drv.create_group(None, None),
                         lambda: self.drv.create_group_snapshot(None, None,
                                                                []),
                         lambda: self.drv.update_group(None, None)):
                self.assertRaises(NotImplementedError, call)
