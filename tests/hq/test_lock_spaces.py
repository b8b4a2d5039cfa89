"""Advisory-lock spaces at HQ: each feature's own, so one feature's lock never makes another wait."""

import importlib

from clinic_hq import blobs, numbering, push


def test_every_advisory_lock_space_is_its_features_own():
    review_state = importlib.import_module("clinic_hq.migrations.versions.0017_review_state")
    spaces = {
        "push devices": push.DEVICE_LOCK_SPACE,
        "case numbers": numbering.CASE_NUMBER_LOCK_SPACE,
        "blob quota": blobs.BLOB_LOCK_SPACE,
        "review item": review_state.LOCK_SPACE,
        "review items, all": review_state.ALL_SPACE,
    }
    assert len(set(spaces.values())) == len(spaces), spaces
    # The sync sequence's one key is a single-key lock; it must not fall in a two-key space's range.
    assert push.SEQ_LOCK_KEY not in spaces.values()
