"""Pinyin keys for finding members by name at the register: zs or zhangsan finds 张三.

The keys are stored when a name is written, so a lookup is an index range scan.
pypinyin takes 150 ms to import: it is imported here, on the first name written,
never at start-up.
"""

from __future__ import annotations

from functools import lru_cache

#: Surnames read differently from the same character in ordinary words
#: (pypinyin reads 曾 ceng, 单 dan, 区 qu …); syllables apart, for the initials.
SURNAME_READINGS = {
    "尉迟": "yu chi", "万俟": "mo qi", "长孙": "zhang sun", "单于": "chan yu",
    "曾": "zeng", "单": "shan", "区": "ou", "解": "xie", "查": "zha", "仇": "qiu",
    "朴": "piao", "乐": "yue", "盖": "ge", "缪": "miao", "翟": "zhai", "覃": "qin",
    "种": "chong", "召": "shao", "员": "yun", "繁": "po", "黑": "he", "秘": "bi",
    "祭": "zhai", "华": "hua", "任": "ren", "宁": "ning", "沈": "shen", "折": "she",
    "句": "gou", "那": "na", "都": "du", "过": "guo", "隗": "wei", "冼": "xian",
    "洗": "xian", "藏": "zang", "臧": "zang", "燕": "yan", "阚": "kan", "相": "xiang",
}


def _syllables(name: str, surname: bool = True) -> list[str]:
    """The syllables of a name, lower case, alphanumeric; a Latin word is one syllable."""
    from pypinyin import lazy_pinyin  # here, not at module import: see the docstring

    name = name.strip()
    syllables: list[str] = []
    rest = name
    for family in sorted((s for s in SURNAME_READINGS if surname and name.startswith(s)),
                         key=len, reverse=True):
        syllables.extend(SURNAME_READINGS[family].split())
        rest = name[len(family):]
        break
    for part in lazy_pinyin(rest, errors=lambda text: text.split()):
        syllables.append(part)
    words = [s.lower() for s in syllables if s and any(c.isalnum() for c in s)]
    return [w for w in ("".join(c for c in w if c.isalnum()) for w in words) if w]


@lru_cache(maxsize=65_536)
def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case, no spaces: 张三 → (zhangsan, zs).

    The surname is read as a surname; Latin parts are kept, one initial a word.
    """
    words = _syllables(name)
    return "".join(words), "".join(w[0] for w in words)


def name_order(name: str) -> tuple[str, str]:
    """The key that sorts names as a Chinese reader looks for them, by their pinyin (陈 chen
    before 李 li before 王 wang), not by code point; the name itself breaks a tie. For lists
    of staff and the like: loads pypinyin, so never on the way to the first screen."""
    return name_keys(name)[0], name


@lru_cache(maxsize=16_384)
def _spellings(text: str) -> tuple[tuple[str, ...], str]:
    """The full pinyin from each syllable on, and the initials, of a product's words."""
    words = _syllables(text, surname=False)
    return tuple("".join(words[i:]) for i in range(len(words))), "".join(w[0] for w in words)


def spells(typed: str, text: str) -> bool:
    """Whether Latin letters typed spell `text`, or a part of it from one of its syllables,
    as the member lookup reads a name: in full pinyin or by initials. 飞鹤星飞帆 is spelt
    by feihe, fh, xingfei and xff; not by eihe. Not a name: no surname readings."""
    typed = typed.lower()
    if not typed.isascii() or not typed.isalnum():
        return False
    tails, initials = _spellings(text)
    return typed in initials or any(tail.startswith(typed) for tail in tails)


def fill_name_keys(db) -> int:
    """Store the pinyin keys of every member whose keys are missing; return how many
    (migration 4, and the demo's bulk load)."""
    rows = db.execute_sql("SELECT id, name FROM member WHERE name_pinyin = ''").fetchall()
    db.cursor().executemany("UPDATE member SET name_pinyin = ?, name_initials = ? WHERE id = ?",
                            [(*name_keys(name), mid) for mid, name in rows])
    return len(rows)
