from reader.text import CJK_RE, clean, squash
from reader.urls import is_link_from, is_web_url


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
