"""Work the user moved on from stops at its next step: an article's images, its related items
(the search's own test is in test_search.py; the runner's in test_tasks.py)."""

from __future__ import annotations

import pytest

from reader.errors import Cancelled
from reader.library import Library
from reader.ui.article_view import load_article
from tests.conftest import SiteServer
from tests.fakes import CancelAfter
from tests.ui.test_main_window import VOCATIONAL


def test_an_article_load_stops_before_its_next_image_once_its_flag_is_set(
        library: Library, sample_site: SiteServer) -> None:
    article_id = library.article_id(sample_site.url + VOCATIONAL)
    assert article_id is not None
    whole = CancelAfter()
    assert len(load_article(library, article_id, whole).images) == 2
    assert whole.looks == 2  # once before each image
    cancel = CancelAfter(2)
    with pytest.raises(Cancelled):
        load_article(library, article_id, cancel)
    assert cancel.looks == 2  # the second image was not read


def test_related_items_stop_at_their_next_read_once_their_flag_is_set(
        library: Library, sample_site: SiteServer) -> None:
    article_id = library.article_id(sample_site.url + VOCATIONAL)
    assert article_id is not None
    cancel = CancelAfter(3)
    with pytest.raises(Cancelled):
        library.related(article_id, cancel=cancel)
    assert cancel.looks == 3
    whole = CancelAfter()
    related = library.related(article_id, cancel=whole)
    assert related.own and related.similar
    assert whole.looks > 3  # the whole lookup reads on past where it stopped
