<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AddSourceDialog</name>
    <message>
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="31" />
      <source>Add source</source>
      <translation>添加订阅源</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="38" />
      <source>Feed or section page URL, e.g. https://example.com/news/</source>
      <translation>Feed 或栏目页网址，例如 https://example.com/news/</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="39" />
      <source>Source URL</source>
      <translation>订阅源网址</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="42" />
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="46" />
      <source>Preview</source>
      <translation>预览</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="49" />
      <source>Subscribe</source>
      <translation>订阅</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="76" />
      <source>Looking at {}…</source>
      <translation>正在查看 {}…</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="84" />
      <source>Feed</source>
      <translation>订阅源（Feed）</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="84" />
      <source>Section page</source>
      <translation>栏目页</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="87" />
      <source>{} entries found</source>
      <translation>找到 {} 个条目</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="94" />
      <source>Subscribing…</source>
      <translation>正在订阅…</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/add_source_dialog.py" line="104" />
      <source>Could not use this address: {}</source>
      <translation>无法使用此地址：{}</translation>
    </message>
  </context>
  <context>
    <name>ArticleModel</name>
    <message>
      <source>also in {}</source>
      <translation>又见于 {}</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_model.py" line="153" />
      <location filename="../../work/main/src/reader/ui/article_model.py" line="181" />
      <source>Favourite</source>
      <translation>收藏</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_model.py" line="153" />
      <source>Not favourite</source>
      <translation>未收藏</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_model.py" line="176" />
      <source>Title</source>
      <translation>标题</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_model.py" line="176" />
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_model.py" line="176" />
      <source>Published</source>
      <translation>发布时间</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_model.py" line="177" />
      <source>Views</source>
      <translation>浏览</translation>
    </message>
  </context>
  <context>
    <name>ArticleView</name>
    <message>
      <source>Also in:</source>
      <translation>又见于：</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_view.py" line="52" />
      <source>Article</source>
      <translation>文章</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_view.py" line="90" />
      <source>Select an article to read it here.</source>
      <translation>选择一篇文章，在此阅读。</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_view.py" line="121" />
      <source>{} views</source>
      <translation>{} 次浏览</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_view.py" line="131" />
      <source>Summary from the feed; the page could not be fetched ({}).</source>
      <translation>来自订阅源的摘要；无法获取原网页（{}）。</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_view.py" line="131" />
      <source>Audio: {}</source>
      <translation>音频：{}</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_view.py" line="131" />
      <source>Video: {}</source>
      <translation>视频：{}</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/article_view.py" line="131" />
      <source>Attachment: {}</source>
      <translation>附件：{}</translation>
    </message>
    <message>
      <source>Favourite</source>
      <translation>已收藏</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="63" />
      <source>Reader</source>
      <translation>Reader 新闻阅读器</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="111" />
      <source>Articles</source>
      <translation>文章列表</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="144" />
      <source>&amp;Update all</source>
      <translation>全部更新(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="145" />
      <source>&amp;Add source…</source>
      <translation>添加订阅源(&amp;A)…</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="146" />
      <source>&amp;Settings…</source>
      <translation>设置(&amp;S)…</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="148" />
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="149" />
      <source>&amp;Next article</source>
      <translation>下一篇(&amp;N)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="150" />
      <source>&amp;Previous article</source>
      <translation>上一篇(&amp;P)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="151" />
      <source>&amp;Favourite</source>
      <translation>收藏(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="152" />
      <source>Mark &amp;read/unread</source>
      <translation>标为已读/未读(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="153" />
      <source>&amp;Open in browser</source>
      <translation>在浏览器中打开(&amp;O)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="155" />
      <source>&amp;Search</source>
      <translation>搜索(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="156" />
      <source>Zoom &amp;in</source>
      <translation>放大(&amp;I)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="158" />
      <source>Zoom &amp;out</source>
      <translation>缩小(&amp;O)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="159" />
      <source>Mark all as read</source>
      <translation>全部标为已读</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="163" />
      <source>Main</source>
      <translation>主工具栏</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="177" />
      <source>Search articles  (Ctrl+F)</source>
      <translation>搜索文章  （Ctrl+F）</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="178" />
      <source>Search</source>
      <translation>搜索</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="189" />
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="194" />
      <source>&amp;Article</source>
      <translation>文章(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="198" />
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="337" />
      <source>This article could not be opened: {}</source>
      <translation>无法打开这篇文章：{}</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="373" />
      <source>Could not save: {}</source>
      <translation>无法保存：{}</translation>
    </message>
    <message>
      <source>Not a web address: {}</source>
      <translation>不是网址：{}</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="468" />
      <source>Subscribed to {}</source>
      <translation>已订阅 {}</translation>
    </message>
    <message>
      <source>&amp;Remove source</source>
      <translation>删除订阅(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Import OPML…</source>
      <translation>导入 OPML(&amp;I)…</translation>
    </message>
    <message>
      <source>&amp;Export OPML…</source>
      <translation>导出 OPML(&amp;E)…</translation>
    </message>
    <message>
      <source>Export &amp;favourites…</source>
      <translation>导出收藏(&amp;F)…</translation>
    </message>
    <message>
      <source>&amp;Back up library…</source>
      <translation>备份资料库(&amp;B)…</translation>
    </message>
    <message>
      <source>Choose a source in the list on the left first.</source>
      <translation>请先在左侧列表中选择一个订阅源。</translation>
    </message>
    <message>
      <source>Exported {} favourites to {}</source>
      <translation>已导出 {} 篇收藏到 {}</translation>
    </message>
    <message>
      <source>S&amp;ync now</source>
      <translation>立即同步(&amp;Y)</translation>
    </message>
    <message>
      <source>Sync &amp;account…</source>
      <translation>同步账户(&amp;A)…</translation>
    </message>
    <message>
      <source>E&amp;xport articles…</source>
      <translation>导出文章(&amp;X)…</translation>
    </message>
    <message>
      <source>Res&amp;tore library…</source>
      <translation>恢复资料库(&amp;T)…</translation>
    </message>
    <message>
      <source>&amp;Tags…</source>
      <translation>标签(&amp;T)…</translation>
    </message>
    <message>
      <source>Source se&amp;ttings…</source>
      <translation>订阅源设置(&amp;T)…</translation>
    </message>
    <message>
      <source>Only the date orders a list of more than {} articles.</source>
      <translation>超过 {} 篇文章的列表只能按日期排序。</translation>
    </message>
  </context>
  <context>
    <name>RelatedModel</name>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="87" />
      <source>Fetching…</source>
      <translation>正在获取…</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="89" />
      <source>Not available offline</source>
      <translation>离线时不可用</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="91" />
      <source>Could not be fetched</source>
      <translation>无法获取</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="93" />
      <source>Not cached</source>
      <translation>未缓存</translation>
    </message>
    <message>
      <source>Source se&amp;ttings…</source>
      <translation>订阅源设置(&amp;T)…</translation>
    </message>
  </context>
  <context>
    <name>RelatedPane</name>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="125" />
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="149" />
      <source>Related articles</source>
      <translation>相关文章</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="134" />
      <source>Related on the page</source>
      <translation>页面中的相关文章</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="135" />
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="154" />
      <source>Similar in your library</source>
      <translation>库中的相似文章</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="139" />
      <source>Fetching related article</source>
      <translation>正在获取相关文章</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="202" />
      <source>No related articles.</source>
      <translation>没有相关文章。</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="207" />
      <source>Related articles could not be loaded.</source>
      <translation>无法加载相关文章。</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="253" />
      <source>Not available offline.</source>
      <translation>离线时不可用。</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/related_pane.py" line="255" />
      <source>This page could not be fetched: {}</source>
      <translation>无法获取此页面：{}</translation>
    </message>
    <message>
      <source>Open an article to see the pages it links as related, and similar articles in your library.</source>
      <translation>打开一篇文章，这里会列出它所链接的相关文章，以及资料库中的相似文章。</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="../../work/main/src/reader/ui/settings_dialog.py" line="41" />
      <location filename="../../work/main/src/reader/ui/settings_dialog.py" line="42" />
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/settings_dialog.py" line="85" />
      <source>Comma-separated</source>
      <translation>以逗号分隔</translation>
    </message>
  </context>
  <context>
    <name>SourceSettingsDialog</name>
    <message>
      <source>Settings of {}</source>
      <translation>{} 的设置</translation>
    </message>
    <message>
      <source>Source settings</source>
      <translation>订阅源设置</translation>
    </message>
    <message>
      <source>Site rule (XPath; empty: detect)</source>
      <translation>站点规则（XPath；留空：自动识别）</translation>
    </message>
    <message>
      <source>Links</source>
      <translation>链接</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>标题</translation>
    </message>
    <message>
      <source>Body</source>
      <translation>正文</translation>
    </message>
    <message>
      <source>Published</source>
      <translation>发布时间</translation>
    </message>
    <message>
      <source>Next</source>
      <translation>下一页</translation>
    </message>
    <message>
      <source>Test URL</source>
      <translation>测试地址</translation>
    </message>
    <message>
      <source>Test on this URL</source>
      <translation>在此地址上测试</translation>
    </message>
    <message>
      <source>Page</source>
      <translation>页面</translation>
    </message>
    <message>
      <source>What the rule extracts</source>
      <translation>规则提取的内容</translation>
    </message>
    <message>
      <source>A rule with Links shows the entries it finds; otherwise the article.</source>
      <translation>含“链接”的规则显示找到的条目，否则显示提取的文章。</translation>
    </message>
    <message>
      <source>Fetching {}…</source>
      <translation>正在获取 {}…</translation>
    </message>
    <message>
      <source>{} entries</source>
      <translation>{} 个条目</translation>
    </message>
    <message>
      <source>Next page: {}</source>
      <translation>下一页：{}</translation>
    </message>
    <message>
      <source>(no date)</source>
      <translation>（无日期）</translation>
    </message>
  </context>
  <context>
    <name>SourcesModel</name>
    <message>
      <location filename="../../work/main/src/reader/ui/sources_model.py" line="41" />
      <source>All articles</source>
      <translation>全部文章</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/sources_model.py" line="42" />
      <source>Unread</source>
      <translation>未读</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/sources_model.py" line="44" />
      <source>Favourites</source>
      <translation>收藏</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/sources_model.py" line="81" />
      <source>Last update failed: {}</source>
      <translation>上次更新失败：{}</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/sources_model.py" line="85" />
      <source>{0}, {1} unread</source>
      <translation>{0},{1} 篇未读</translation>
    </message>
    <message>
      <source>local file</source>
      <translation>本地文件</translation>
    </message>
  </context>
  <context>
    <name>SourcesPane</name>
    <message>
      <location filename="../../work/main/src/reader/ui/sources_pane.py" line="20" />
      <source>Sources</source>
      <translation>订阅源</translation>
    </message>
  </context>
  <context>
    <name>StatusBar</name>
    <message>
      <location filename="../../work/main/src/reader/ui/status_bar.py" line="20" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/status_bar.py" line="24" />
      <source>Update progress</source>
      <translation>更新进度</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/status_bar.py" line="26" />
      <location filename="../../work/main/src/reader/ui/status_bar.py" line="27" />
      <source>Stop the update</source>
      <translation>停止更新</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/status_bar.py" line="31" />
      <location filename="../../work/main/src/reader/ui/status_bar.py" line="34" />
      <source>Offline</source>
      <translation>离线</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/status_bar.py" line="32" />
      <source>The last attempt to reach the network failed; cached articles still open.</source>
      <translation>上次联网失败；已缓存的文章仍可打开。</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/status_bar.py" line="47" />
      <source>Updating…</source>
      <translation>正在更新…</translation>
    </message>
    <message>
      <location filename="../../work/main/src/reader/ui/status_bar.py" line="54" />
      <source>Updating {0}  {1}/{2}</source>
      <translation>正在更新 {0}  {1}/{2}</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
  </context>
  <context>
    <name>Settings</name>
    <message>
      <source>Update every (minutes)</source>
      <translation>自动更新间隔（分钟）</translation>
    </message>
    <message>
      <source>Update all sources every this many minutes while the window is open (0: never).</source>
      <translation>窗口打开时每隔这么多分钟更新全部订阅源（0：从不）。</translation>
    </message>
    <message>
      <source>Fetch related pages</source>
      <translation>预取相关文章</translation>
    </message>
    <message>
      <source>Also fetch the pages an article's related block links to, for offline reading.</source>
      <translation>同时获取文章“相关文章”区块链接的页面，供离线阅读。</translation>
    </message>
    <message>
      <source>Download images</source>
      <translation>下载图片</translation>
    </message>
    <message>
      <source>Download article images into the cache.</source>
      <translation>把文章图片下载到缓存中。</translation>
    </message>
    <message>
      <source>Largest image (MB)</source>
      <translation>图片大小上限（MB）</translation>
    </message>
    <message>
      <source>Skip images larger than this many megabytes.</source>
      <translation>跳过大于这么多兆字节的图片。</translation>
    </message>
    <message>
      <source>Proxy</source>
      <translation>代理</translation>
    </message>
    <message>
      <source>Proxy for every request, e.g. http://host:3128 or socks5://host:1080.</source>
      <translation>所有请求使用的代理，例如 http://host:3128 或 socks5://host:1080。</translation>
    </message>
    <message>
      <source>Pause between requests (ms)</source>
      <translation>请求间隔（毫秒）</translation>
    </message>
    <message>
      <source>Wait at least this long between two requests to the same host (politeness).</source>
      <translation>对同一主机的两次请求之间至少等待这么久（礼貌抓取）。</translation>
    </message>
    <message>
      <source>Font size (pt)</source>
      <translation>正文字号（磅）</translation>
    </message>
    <message>
      <source>Body font size of the article view, in points.</source>
      <translation>文章视图的正文字号（磅）。</translation>
    </message>
    <message>
      <source>Theme</source>
      <translation>主题</translation>
    </message>
    <message>
      <source>Colour theme.</source>
      <translation>配色主题。</translation>
    </message>
    <message>
      <source>System</source>
      <translation>跟随系统</translation>
    </message>
    <message>
      <source>Light</source>
      <translation>浅色</translation>
    </message>
    <message>
      <source>Dark</source>
      <translation>深色</translation>
    </message>
    <message>
      <source>Muted words</source>
      <translation>屏蔽词</translation>
    </message>
    <message>
      <source>Hide articles whose title holds one of these words (comma-separated); favourites always show.</source>
      <translation>隐藏标题含有这些词的文章（以逗号分隔）；收藏的文章始终显示。</translation>
    </message>
    <message>
      <source>Keep articles (days)</source>
      <translation>保留天数</translation>
    </message>
    <message>
      <source>Group copies</source>
      <translation>合并转载</translation>
    </message>
    <message>
      <source>Show a story once, however many sites carry it: its copies are named under it ("also in ..."); off: one row per copy.</source>
      <translation>同一篇报道无论多少网站转载都只显示一次，在其下注明转载来源（“又见于……”）；关闭：每个转载各占一行。</translation>
    </message>
    <message>
      <source>Retention: after each update, remove articles older than this many days (0: keep all); favourites stay.</source>
      <translation>保留策略：每次更新后删除早于这么多天的文章（0：全部保留）；收藏不受影响。</translation>
    </message>
    <message>
      <source>Keep per source (articles)</source>
      <translation>每个订阅源保留篇数</translation>
    </message>
    <message>
      <source>Retention: after each update, keep only this many newest articles per source (0: all); favourites stay.</source>
      <translation>保留策略：每次更新后每个订阅源只保留这么多篇最新文章（0：全部）；收藏不受影响。</translation>
    </message>
    <message>
      <source>Sync server</source>
      <translation>同步服务器地址</translation>
    </message>
    <message>
      <source>Address of a feed server to sync with (set by `reader sync-login`).</source>
      <translation>要同步的订阅服务器地址（由 `reader sync-login` 设置）。</translation>
    </message>
    <message>
      <source>Sync key</source>
      <translation>同步 API 密钥</translation>
    </message>
    <message>
      <source>The key for sync_endpoint (Fever: md5 of email:password; Google Reader API: its Auth token); never the password.</source>
      <translation>sync_endpoint 的密钥（Fever：email:password 的 md5；Google Reader API：其 Auth 令牌），从不保存密码本身。</translation>
    </message>
    <message>
      <source>Charset</source>
      <translation>字符集</translation>
    </message>
    <message>
      <source>Character set of this source's pages and feed, over what they declare (e.g. gbk; empty: detect).</source>
      <translation>此订阅源的页面和 Feed 所用的字符集，优先于其声明（如 gbk；留空：自动检测）。</translation>
    </message>
    <message>
      <source>Update this source at most every this many minutes (0: with every update).</source>
      <translation>此订阅源最多每隔这么多分钟更新一次（0：每次更新都更新）。</translation>
    </message>
    <message>
      <source>Full articles</source>
      <translation>获取全文</translation>
    </message>
    <message>
      <source>Fetch each article's page; off: keep the summary the feed carries.</source>
      <translation>获取每篇文章的页面；关闭：只保留 Feed 自带的摘要。</translation>
    </message>
    <message>
      <source>Download this source's images (default: as the global setting says).</source>
      <translation>下载此订阅源的图片（默认：按全局设置）。</translation>
    </message>
    <message>
      <source>Default</source>
      <translation>默认</translation>
    </message>
    <message>
      <source>Yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>No</source>
      <translation>否</translation>
    </message>
    <message>
      <source>User agent</source>
      <translation>用户代理（User-Agent）</translation>
    </message>
    <message>
      <source>User-Agent sent on this source's requests (empty: Reader's own).</source>
      <translation>请求此订阅源时发送的 User-Agent（留空：使用 Reader 自己的）。</translation>
    </message>
    <message>
      <source>The API sync_endpoint speaks (found by `reader sync-login`).</source>
      <translation>sync_endpoint 所用的接口（由 `reader sync-login` 检测）。</translation>
    </message>
    <message>
      <source>Sync protocol</source>
      <translation>同步协议</translation>
    </message>
    <message>
      <source>Never</source>
      <translation>从不</translation>
    </message>
    <message>
      <source>Forever</source>
      <translation>永久</translation>
    </message>
    <message>
      <source>All</source>
      <translation>全部</translation>
    </message>
    <message>
      <source>With every update</source>
      <translation>随每次更新</translation>
    </message>
  </context>
<context>
    <name>SyncAccountDialog</name>
    <message>
      <source>Sync account</source>
      <translation>同步账户</translation>
    </message>
    <message>
      <source>Server address</source>
      <translation>服务器地址</translation>
    </message>
    <message>
      <source>Google Reader API</source>
      <translation>Google Reader API</translation>
    </message>
    <message>
      <source>Fever API</source>
      <translation>Fever API</translation>
    </message>
    <message>
      <source>Signed in to {} ({})</source>
      <translation>已登录 {}（{}）</translation>
    </message>
    <message>
      <source>Email or user name</source>
      <translation>邮箱或用户名</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <source>The server's Fever or Google Reader API address. The password is checked with the server and not kept.</source>
      <translation>服务器的 Fever 或 Google Reader API 地址。密码只用于向服务器验证，不会保存。</translation>
    </message>
    <message>
      <source>Sign in</source>
      <translation>登录</translation>
    </message>
    <message>
      <source>Fill in the address, the user and the password.</source>
      <translation>请填写地址、用户名和密码。</translation>
    </message>
    <message>
      <source>Checking the login…</source>
      <translation>正在验证登录…</translation>
    </message>
    <message>
      <source>Could not sign in: {}</source>
      <translation>无法登录：{}</translation>
    </message>
  </context>
<context>
    <name>App</name>
    <message>
      <source>Updating your library to this version of Reader (once; a copy is kept)…</source>
      <translation>正在把资料库升级到这一版 Reader 的格式（只需一次；原资料库会保留副本）…</translation>
    </message>
    <message>
      <source>Opening your library…</source>
      <translation>正在打开资料库…</translation>
    </message>
  </context>
  <context>
    <name>LibraryActions</name>
    <message>
      <location filename="../../work/main/src/reader/ui/main_window.py" line="373" />
      <source>Could not save: {}</source>
      <translation>无法保存：{}</translation>
    </message>
    <message>
      <source>Choose a source in the list on the left first.</source>
      <translation>请先在左侧列表中选择一个订阅源。</translation>
    </message>
    <message>
      <source>Remove source</source>
      <translation>删除订阅</translation>
    </message>
    <message>
      <source>Unsubscribe from {}? Its articles go too; favourites stay.</source>
      <translation>取消订阅“{}”？其文章将一并删除，收藏会保留。</translation>
    </message>
    <message>
      <source>Removed {} and {} articles; favourites kept</source>
      <translation>已删除“{}”及 {} 篇文章，收藏已保留</translation>
    </message>
    <message>
      <source>Import OPML</source>
      <translation>导入 OPML</translation>
    </message>
    <message>
      <source>OPML files (*.opml *.xml)</source>
      <translation>OPML 文件 （*.opml *.xml）</translation>
    </message>
    <message>
      <source>Imported {} sources from {}</source>
      <translation>已从 {1} 导入 {0} 个订阅源</translation>
    </message>
    <message>
      <source>Export OPML</source>
      <translation>导出 OPML</translation>
    </message>
    <message>
      <source>OPML files (*.opml)</source>
      <translation>OPML 文件 （*.opml）</translation>
    </message>
    <message>
      <source>Exported {} sources to {}</source>
      <translation>已导出 {} 个订阅源到 {}</translation>
    </message>
    <message>
      <source>Export favourites</source>
      <translation>导出收藏</translation>
    </message>
    <message>
      <source>Back up library</source>
      <translation>备份资料库</translation>
    </message>
    <message>
      <source>SQLite files (*.sqlite)</source>
      <translation>SQLite 文件 （*.sqlite）</translation>
    </message>
    <message>
      <source>Library backed up to {}</source>
      <translation>资料库已备份到 {}</translation>
    </message>
    <message>
      <source>Failed: {}</source>
      <translation>失败：{}</translation>
    </message>
    <message>
      <source>Syncing…</source>
      <translation>正在同步…</translation>
    </message>
    <message>
      <source>Sync failed: {} ({} changes wait for the next sync)</source>
      <translation>同步失败：{}（还有 {} 项更改等待下次同步）</translation>
    </message>
    <message>
      <source>Synced: {} new articles, {} changes sent</source>
      <translation>同步完成：新增 {} 篇文章，发送 {} 项更改</translation>
    </message>
    <message>
      <source>; {} conflicts, kept yours: {}</source>
      <translation>;{} 处冲突，已保留本地更改：{}</translation>
    </message>
    <message>
      <source>Export the search results</source>
      <translation>导出搜索结果</translation>
    </message>
    <message>
      <source>Exported {} articles to {}</source>
      <translation>已导出 {} 篇文章到 {}</translation>
    </message>
    <message>
      <source>Restore library</source>
      <translation>恢复资料库</translation>
    </message>
    <message>
      <source>Replace the library with this backup? The current one is kept as library.sqlite.before-restore.</source>
      <translation>用这份备份替换资料库吗？当前资料库会保存为 library.sqlite.before-restore。</translation>
    </message>
    <message>
      <source>Restored the library from {}</source>
      <translation>已从 {} 恢复资料库</translation>
    </message>
    <message>
      <source>Tags</source>
      <translation>标签</translation>
    </message>
    <message>
      <source>Tags, separated by commas (tagging saves the article as a favourite):</source>
      <translation>标签，用逗号分隔（加标签会同时收藏这篇文章）:</translation>
    </message>
    <message>
      <source>Tags: {}</source>
      <translation>标签：{}</translation>
    </message>
  </context>
  <context>
    <name>ArticleList</name>
    <message>
      <source>Articles</source>
      <translation>文章列表</translation>
    </message>
  </context>
  <context>
    <name>Errors</name>
    <message>
      <source>connection refused</source>
      <translation>连接被拒绝</translation>
    </message>
    <message>
      <source>host not found</source>
      <translation>找不到主机</translation>
    </message>
    <message>
      <source>connection reset by server</source>
      <translation>连接被服务器重置</translation>
    </message>
    <message>
      <source>secure connection (TLS) failed</source>
      <translation>安全连接（TLS）失败</translation>
    </message>
    <message>
      <source>proxy connection failed</source>
      <translation>无法连接代理</translation>
    </message>
    <message>
      <source>timed out after {0}</source>
      <translation>{0} 后超时</translation>
    </message>
    <message>
      <source>no such file: {0}</source>
      <translation>文件不存在：{0}</translation>
    </message>
    <message>
      <source>cannot read {0}: {1}</source>
      <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
      <source>response larger than {0}</source>
      <translation>响应超过 {0}</translation>
    </message>
    <message>
      <source>not a web address: {0}</source>
      <translation>不是网址：{0}</translation>
    </message>
    <message>
      <source>{0} has no feed and no list of articles</source>
      <translation>{0} 既没有 Feed，也没有文章列表</translation>
    </message>
    <message>
      <source>unbalanced quote in the search: close the “phrase”</source>
      <translation>搜索中的引号不成对：请补全“短语”的引号</translation>
    </message>
    <message>
      <source>the search has no words to look for</source>
      <translation>搜索中没有可查找的词</translation>
    </message>
    <message>
      <source>the search has more than {0} terms</source>
      <translation>搜索词超过 {0} 个</translation>
    </message>
    <message>
      <source>the search only excludes words: add one to look for</source>
      <translation>搜索只排除了词语：请再加一个要查找的词</translation>
    </message>
  </context>
  <context>
    <name>WindowUpdate</name>
    <message>
      <source>; articles that could not be read: {}</source>
      <translation>；无法读取的文章：{}</translation>
    </message>
    <message>
      <source>{0} new articles; {1} sources failed</source>
      <translation>新文章 {0} 篇；{1} 个订阅源失败</translation>
    </message>
    <message>
      <source>{} new articles</source>
      <translation>新文章 {} 篇</translation>
    </message>
    <message>
      <source>; pages that could not be fetched: {} (the feeds' summaries were kept)</source>
      <translation>；无法获取的网页：{} 个（已保留订阅源的摘要）</translation>
    </message>
    <message>
      <source>Update failed: {}</source>
      <translation>更新失败：{}</translation>
    </message>
  </context>
  <context>
    <name>WindowSearch</name>
    <message>
      <source>{0} results for “{1}”</source>
      <translation>“{1}”的搜索结果：{0} 条</translation>
    </message>
    <message>
      <source>Search failed: {}</source>
      <translation>搜索失败：{}</translation>
    </message>
    <message>
      <source>1 result for “{}”</source>
      <translation>“{}”的搜索结果：1 条</translation>
    </message>
  </context>
</TS>