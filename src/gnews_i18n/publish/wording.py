"""The site's own words (skip link, navigation, search) in each edition's language.

A language without its own set gets the English one, and the templates mark it
``lang="en"`` so a screen reader switches voice (:func:`words_for` says which it is).
"""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "skip": "Skip to content", "home": "Home", "archive": "Issue archive", "latest_issue": "Latest issue",
        "recent": "Recent articles", "search": "Search", "search_label": "Search the archive",
        "search_needs_js": "Search runs in your browser and needs JavaScript.",
        "found": "{n} results for “{q}”", "not_found": "Nothing found for “{q}”.",
        "in_issue": "In this issue", "previous": "Previous article", "next": "Next article",
        "breadcrumb": "You are here", "languages": "Languages", "sections": "Sections", "pages": "Pages",
        "contents": "Contents", "no_issues": "No issue has been published yet.", "editions": "Read in your language",
        "feed": "RSS feed",
    },
    "ko": {
        "skip": "본문 바로가기", "home": "홈", "archive": "지난 호", "latest_issue": "최신호",
        "recent": "최근 기사", "search": "검색", "search_label": "기사 검색",
        "search_needs_js": "검색은 브라우저에서 실행되며 자바스크립트가 필요합니다.",
        "found": "“{q}” 검색 결과 {n}건", "not_found": "“{q}”에 대한 검색 결과가 없습니다.",
        "in_issue": "이번 호 기사", "previous": "이전 기사", "next": "다음 기사",
        "breadcrumb": "현재 위치", "languages": "언어", "sections": "메뉴", "pages": "페이지",
        "contents": "차례", "no_issues": "아직 발행된 호가 없습니다.", "editions": "언어별로 읽기",
        "feed": "RSS 피드",
    },
    "ru": {
        "skip": "Перейти к содержанию", "home": "Главная", "archive": "Архив выпусков",
        "latest_issue": "Последний выпуск", "recent": "Последние статьи", "search": "Найти",
        "search_label": "Поиск по архиву", "search_needs_js": "Поиск работает в браузере и требует JavaScript.",
        "found": "Результатов по запросу «{q}»: {n}", "not_found": "По запросу «{q}» ничего не найдено.",
        "in_issue": "В этом выпуске", "previous": "Предыдущая статья", "next": "Следующая статья",
        "breadcrumb": "Вы здесь", "languages": "Языки", "sections": "Разделы", "pages": "Страницы",
        "contents": "Содержание", "no_issues": "Выпусков пока нет.", "editions": "Читать на своём языке",
        "feed": "RSS-лента",
    },
    "uz": {
        "skip": "Asosiy mazmunga o‘tish", "home": "Bosh sahifa", "archive": "Sonlar arxivi",
        "latest_issue": "So‘nggi son", "recent": "So‘nggi maqolalar", "search": "Qidirish",
        "search_label": "Arxivdan qidirish",
        "search_needs_js": "Qidiruv brauzerda ishlaydi va JavaScript talab qiladi.",
        "found": "“{q}” bo‘yicha {n} ta natija", "not_found": "“{q}” bo‘yicha hech narsa topilmadi.",
        "in_issue": "Ushbu sonda", "previous": "Oldingi maqola", "next": "Keyingi maqola",
        "breadcrumb": "Siz shu yerdasiz", "languages": "Tillar", "sections": "Bo‘limlar", "pages": "Sahifalar",
        "contents": "Mundarija", "no_issues": "Hali birorta son chiqmagan.", "editions": "O‘z tilingizda o‘qing",
        "feed": "RSS tasmasi",
    },
    "mn": {
        "skip": "Үндсэн агуулга руу шилжих", "home": "Нүүр", "archive": "Дугаарын архив",
        "latest_issue": "Сүүлийн дугаар", "recent": "Сүүлийн нийтлэлүүд", "search": "Хайх",
        "search_label": "Архиваас хайх", "search_needs_js": "Хайлт хөтөч дээр ажилладаг тул JavaScript шаардлагатай.",
        "found": "“{q}” хайлтын үр дүн: {n}", "not_found": "“{q}” хайлтаар юу ч олдсонгүй.",
        "in_issue": "Энэ дугаарт", "previous": "Өмнөх нийтлэл", "next": "Дараагийн нийтлэл",
        "breadcrumb": "Та энд байна", "languages": "Хэлүүд", "sections": "Цэс", "pages": "Хуудас",
        "contents": "Агуулга", "no_issues": "Одоогоор дугаар гараагүй байна.", "editions": "Өөрийн хэлээр унших",
        "feed": "RSS суваг",
    },
    "vi": {
        "skip": "Chuyển đến nội dung", "home": "Trang chủ", "archive": "Các số đã phát hành",
        "latest_issue": "Số mới nhất", "recent": "Bài viết gần đây", "search": "Tìm",
        "search_label": "Tìm trong lưu trữ", "search_needs_js": "Tìm kiếm chạy trong trình duyệt và cần JavaScript.",
        "found": "{n} kết quả cho “{q}”", "not_found": "Không tìm thấy kết quả cho “{q}”.",
        "in_issue": "Trong số này", "previous": "Bài trước", "next": "Bài tiếp theo",
        "breadcrumb": "Vị trí", "languages": "Ngôn ngữ", "sections": "Mục", "pages": "Trang",
        "contents": "Mục lục", "no_issues": "Chưa có số nào được phát hành.", "editions": "Đọc bằng ngôn ngữ của bạn",
        "feed": "Nguồn RSS",
    },
    "zh": {
        "skip": "跳到正文", "home": "首页", "archive": "往期", "latest_issue": "最新一期", "recent": "最新文章",
        "search": "搜索", "search_label": "搜索文章", "search_needs_js": "搜索在浏览器中运行，需要 JavaScript。",
        "found": "“{q}”的搜索结果：{n} 条", "not_found": "没有找到“{q}”的结果。",
        "in_issue": "本期文章", "previous": "上一篇", "next": "下一篇", "breadcrumb": "当前位置",
        "languages": "语言", "sections": "栏目", "pages": "页码", "contents": "目录",
        "no_issues": "尚未发布任何一期。", "editions": "选择语言阅读", "feed": "RSS 订阅",
    },
    "ja": {
        "skip": "本文へ移動", "home": "ホーム", "archive": "バックナンバー", "latest_issue": "最新号",
        "recent": "最近の記事", "search": "検索", "search_label": "記事を検索",
        "search_needs_js": "検索はブラウザーで動作し、JavaScript が必要です。",
        "found": "「{q}」の検索結果：{n} 件", "not_found": "「{q}」に一致する記事はありません。",
        "in_issue": "今号の記事", "previous": "前の記事", "next": "次の記事", "breadcrumb": "現在位置",
        "languages": "言語", "sections": "メニュー", "pages": "ページ", "contents": "目次",
        "no_issues": "まだ発行された号はありません。", "editions": "言語を選んで読む", "feed": "RSS フィード",
    },
}


def words_for(lang: str) -> tuple[dict[str, str], str]:
    """(the site's words, the language they are in): ``lang``'s own, else English."""
    if lang in WORDS:
        return WORDS[lang], lang
    return WORDS["en"], "en"
