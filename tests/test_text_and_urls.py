import socket

import pytest

from reader import urls
from reader.text import CJK_RE, clean, squash
from reader.urls import document_type, is_link_from, is_web_url, same_site, site


def test_clean_removes_controls_and_lone_surrogates_but_keeps_tab_and_newline() -> None:
    assert clean("a\x1b]0;pwned\x07b\tc\nd\ud800e\x85f") == "a]0;pwnedb\tc\ndef"
    assert clean("新闻 ok") == "新闻 ok"


def test_squash_gives_one_line() -> None:
    assert squash("  标题\n\t  一 \x00 ") == "标题 一"


def test_cjk_class_covers_han_kana_and_hangul() -> None:
    assert all(CJK_RE.match(ch) for ch in "中カ한")
    assert not CJK_RE.search("Latin, 123")


def test_only_web_urls_leave_reader() -> None:
    assert is_web_url("https://example.com/a")
    for bad in ("javascript:alert(1)", "file:///etc/passwd", "smb://host/share",
                "tag:example.com,2020:1", "ms-msdt:foo", "http://", "//example.com/x", "http://[::1"):
        assert not is_web_url(bad), bad


def test_file_links_only_from_file_pages() -> None:
    assert is_link_from("file:///site/a.html", "file:///site/index.html")
    assert not is_link_from("file:///etc/passwd", "https://example.com/feed")
    assert is_link_from("https://example.com/a", "file:///site/index.html")


def test_one_site_is_one_registrable_domain() -> None:
    page = "http://news.example.com.cn/domestic/"
    assert same_site("https://dy.example.com.cn/article/JH7K2L0A.html", page)
    assert same_site("http://money.example.com.cn/26/1201/09/x.html", page)
    assert not same_site("http://other.com.cn/a.html", page)  # com.cn is a public suffix
    assert not same_site("http://example.com.cn.evil.example/a.html", page)
    assert not same_site("https://bob.github.io/post/", "https://alice.github.io/")
    assert same_site("http://127.0.0.1:8000/a", "http://127.0.0.1:9000/b")
    assert not same_site("http://127.0.0.2/a", "http://127.0.0.1/b")
    assert same_site("file:///site/a.html", "file:///site/index.html")
    assert not same_site("file:///etc/passwd", page)
    assert not same_site("javascript:alert(1)", page)
    assert site("http://WWW.Example.COM./x") == "example.com"
    assert site("http://[::1]:8080/") == "::1"
    assert site("not a url") == ""


def test_the_suffix_list_is_read_without_the_network(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the suffix list must not be downloaded")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    urls._suffixes.cache_clear()
    urls._registrable.cache_clear()
    assert site("http://www.beijing.gov.cn/") == "beijing.gov.cn"
    assert list(tmp_path.iterdir()) == []  # nothing cached in the home directory


def test_documents_are_named_by_their_extension() -> None:
    assert document_type("http://www.example.gov.cn/tzgg/202612/P0201.PDF") == "PDF"
    assert document_type("http://example.cn/a/notice.docx?download=1") == "DOC"
    assert document_type("http://example.cn/a/plan.xls") == "XLS"
    assert document_type("http://example.cn/a/t20261126_4012345.html") == ""
    assert document_type("http://example.cn/pdf/") == ""
    assert document_type("http://example.cn/a.pdf.html") == ""
