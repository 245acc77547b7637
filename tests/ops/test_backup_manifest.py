"""Reading a backup's manifest: an archive that is not a marketplace backup is refused with a BackupError."""
from __future__ import annotations

import tarfile

import pytest

from marketplace.backup import BackupError, read_manifest


def test_an_archive_whose_manifest_is_not_a_file_is_refused(tmp_path):
    """A manifest.json that is a directory is refused as not a backup, not an AttributeError."""
    archive = tmp_path / "odd.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        member = tarfile.TarInfo("manifest.json")
        member.type = tarfile.DIRTYPE
        tar.addfile(member)
    with pytest.raises(BackupError, match="not a marketplace backup"):
        read_manifest(archive)
