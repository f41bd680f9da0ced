"""A small file-backed Cinder volume driver for the local minicloud.

Not part of the plugin: it only lets the real Cinder services of
``tools/minicloud`` run without LVM, iSCSI or Ceph.
"""
