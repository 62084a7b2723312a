"""Which column is which field: the fields each kind of file needs and takes, a guess
from the header a Chinese POS or an English sheet writes, and mappings saved by name.

A mapping is field → the column's name as the file's header writes it. Headers are
compared after NFKC, trimming, lower case, one space for any run of spaces, _ - or .,
and without a unit in brackets: "单价(元)", "单价（元）" and "单价" are one header.

Saved mappings live in import-mappings.toml beside the settings file, one table per
name; the file is written whole to a temporary file and renamed over the old one, owner-
only (tui.files), so a crash never leaves half of it.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tui.errors import ShopfloorError
from tui.files import replace_private, read_small_text
from tui.i18n import N_, _

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KINDS = ("members", "products", "purchases")
MAPPINGS_FILE = "import-mappings.toml"


class MappingError(ShopfloorError, ValueError):
    """A mapping that does not fit the file, or a mappings file that cannot be read."""


@dataclass(frozen=True)
class Field:
    key: str
    label: str  #: marked N_, translated where it is shown
    required: bool = False


#: every field of each kind, in the order a form shows them
FIELDS: dict[str, tuple[Field, ...]] = {
    "members": (
        Field("card_no", N_("card number")), Field("name", N_("name"), True),
        Field("phone", N_("phone"), True), Field("gender", N_("gender")),
        Field("birthday", N_("birthday")), Field("address", N_("address")),
        Field("joined", N_("joined on")), Field("guide", N_("guide")),
    ),
    "products": (
        Field("barcode", N_("barcode"), True), Field("product", N_("product name"), True),
        Field("brand", N_("brand")), Field("category", N_("category")),
        Field("spec", N_("size")), Field("stage", N_("stage")), Field("unit", N_("unit")),
        Field("price", N_("price"), True), Field("days", N_("days per unit")),
    ),
    "purchases": (
        Field("receipt", N_("receipt number"), True), Field("line", N_("line number")),
        Field("sold_at", N_("sold at"), True), Field("card_no", N_("card number")),
        Field("phone", N_("phone")), Field("name", N_("member name")),
        Field("barcode", N_("barcode")), Field("code", N_("product code")),
        Field("product", N_("product name")), Field("brand", N_("brand")),
        Field("category", N_("category")), Field("quantity", N_("quantity"), True), Field("price", N_("unit price")),
        Field("amount", N_("amount"), True), Field("guide", N_("guide")),
    ),
}
#: at least one field of each group must be mapped: how a sale finds its product
ONE_OF: dict[str, tuple[tuple[str, ...], ...]] = {"purchases": (("barcode", "code", "product"),)}

#: the headers each field is guessed from, as header_key leaves them
HEADERS: dict[str, tuple[str, ...]] = {
    "card_no": ("会员卡号", "卡号", "会员号", "会员编号", "会员卡", "card no", "card number",
                "card", "member no", "member number"),
    "name": ("姓名", "会员姓名", "会员名称", "会员名", "顾客姓名", "客户姓名", "name",
             "member name", "customer name", "member"),
    "phone": ("手机", "手机号", "手机号码", "电话", "联系电话", "电话号码", "移动电话", "mobile",
              "phone", "mobile phone", "phone number", "mobile number", "tel", "telephone"),
    "gender": ("性别", "gender", "sex"),
    "birthday": ("生日", "出生日期", "会员生日", "birthday", "birth date", "date of birth", "dob"),
    "address": ("地址", "住址", "联系地址", "家庭住址", "address"),
    "joined": ("开卡日期", "入会日期", "办卡日期", "注册日期", "joined", "joined on", "join date",
               "registered", "member since"),
    "guide": ("营业员", "导购", "导购员", "服务导购", "销售员", "staff", "guide", "sales guide",
              "salesperson", "clerk"),
    "barcode": ("商品条码", "条码", "条形码", "barcode", "bar code", "ean"),
    #: the shop's own code of a product (a POS's 商品编码 / 货号), where it has no barcode
    "code": ("商品编码", "商品代码", "货号", "编码", "sku", "item code", "product code"),
    "product": ("商品名称", "商品名", "品名", "商品", "product", "product name", "item",
                "item name"),
    "brand": ("品牌", "brand"),
    "category": ("类别", "品类", "分类", "商品类别", "category", "type"),
    "spec": ("规格", "spec", "size", "size/spec", "specification"),
    "stage": ("段", "段数", "阶段", "stage"),
    "unit": ("单位", "unit"),
    "price": ("单价", "售价", "零售价", "价格", "price", "unit price"),
    "days": ("天数", "可用天数", "使用天数", "days per unit", "days"),
    "receipt": ("销售单号", "小票号", "单号", "小票号码", "销售单据号", "订单号", "流水号",
                "receipt", "receipt no", "receipt number", "order no"),
    "line": ("行号", "序号", "line", "line no", "line number"),
    "sold_at": ("销售时间", "交易时间", "销售日期时间", "时间", "sold at", "time", "sale time",
                "sold"),
    "quantity": ("数量", "销售数量", "quantity", "qty"),
    "amount": ("实收", "实收金额", "金额", "销售金额", "成交金额", "amount", "paid", "total"),
}
_UNIT_IN_BRACKETS = re.compile(r"\s*[(（\[【][^)）\]】]*[)）\]】]\s*$")


def header_key(text: str) -> str:
    """A header as it is compared: NFKC, trimmed, lower case, one space between words,
    a unit in brackets at the end dropped."""
    key = unicodedata.normalize("NFKC", text).strip().lower()
    key = _UNIT_IN_BRACKETS.sub("", key) or key
    return re.sub(r"[\s_.\-]+", " ", key).strip()


def fields_of(kind: str) -> tuple[Field, ...]:
    if kind not in FIELDS:
        raise MappingError(_("{kind}: not a kind of file; one of members, products, "
                             "purchases").format(kind=kind))
    return FIELDS[kind]


def guess(kind: str, header: Iterable[str]) -> dict[str, str]:
    """Field → column name for each field of KIND a column's name says. When two columns
    say one field, the name earlier in HEADERS wins (实收 over 金额: what was paid, not the
    price before the discount), then the first column."""
    keys = {f.key for f in fields_of(kind)}
    rank = {h: (f, i) for f, names in HEADERS.items() if f in keys for i, h in enumerate(names)}
    best: dict[str, tuple[int, str]] = {}
    for name in header:
        found = rank.get(header_key(name))
        if found is not None:
            field, order = found
            if field not in best or order < best[field][0]:
                best[field] = (order, name)
    return {f.key: best[f.key][1] for f in fields_of(kind) if f.key in best}


def missing(kind: str, columns: Mapping[str, str]) -> list[str]:
    """The fields KIND needs that COLUMNS does not map, as labels in the language spoken
    ("barcode or product name" for a group of which one is enough)."""
    out = [_(f.label) for f in fields_of(kind) if f.required and not columns.get(f.key)]
    labels = {f.key: f.label for f in fields_of(kind)}
    for group in ONE_OF.get(kind, ()):
        if not any(columns.get(k) for k in group):
            *first, last = group
            out.append(_("{first} or {second}").format(
                first=_(", ").join(_(labels[k]) for k in first), second=_(labels[last])))
    return out


def resolve(kind: str, columns: Mapping[str, str], header: tuple[str, ...]) -> dict[str, int]:
    """Field → the column's index in HEADER; MappingError in one line for a field KIND
    does not take, a column the file does not have or has twice, or a needed field unmapped."""
    keys = {f.key for f in fields_of(kind)}
    by_key: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        by_key.setdefault(header_key(name), []).append(index)
    out: dict[str, int] = {}
    for field, name in columns.items():
        if not name:
            continue
        if field not in keys:
            raise MappingError(_("{field}: not a field of a {kind} file").format(
                field=field, kind=kind))
        found = by_key.get(header_key(name), [])
        if not found:
            raise MappingError(_("the file has no column {column}; its columns are "
                                 "{columns}").format(column=name, columns=", ".join(header)))
        if len(found) > 1:
            raise MappingError(_("the file has two columns named {column} (columns {first} "
                                 "and {second}); rename one in the file").format(
                column=name, first=column_letter(found[0]), second=column_letter(found[1])))
        out[field] = found[0]
    lacking = missing(kind, columns)
    if lacking:
        raise MappingError(_("no column for {fields}; map it to one of the file's "
                             "columns").format(fields=", ".join(lacking)))
    return out


def column_letter(index: int) -> str:
    """Excel's name of the column at INDEX (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# -- saved by name ----------------------------------------------------------------------

@dataclass(frozen=True)
class SavedMapping:
    name: str
    kind: str
    columns: dict[str, str]


def mappings_path(settings_file: Path) -> Path:
    """import-mappings.toml in the settings file's folder."""
    return Path(settings_file).parent / MAPPINGS_FILE


_NAME = re.compile(r"[^\x00-\x1f\x7f-\x9f\"\\]{1,40}")


def load_mappings(path: Path) -> dict[str, SavedMapping]:
    """Every mapping saved in PATH, by name; none when the file is not there yet."""
    try:
        data = tomllib.loads(read_small_text(path, 1_000_000))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise MappingError(_("{path}: cannot read it ({error})").format(
            path=path, error=exc.strerror or exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(_("{path}: not valid TOML ({error}); correct it or remove the "
                             "file").format(path=path, error=exc)) from None
    except UnicodeDecodeError:
        raise MappingError(_("{path}: not UTF-8 text; save it as UTF-8").format(path=path)
                           ) from None
    except ValueError as exc:
        raise MappingError(f"{path}: {exc}") from None
    return {name: _saved(path, name, table) for name, table in data.items()}


def _saved(path: Path, name: str, table: object) -> SavedMapping:
    def bad(what: str) -> MappingError:
        return MappingError(_("{path}: [{name}]: {what}").format(path=path, name=name, what=what))

    if not isinstance(table, dict) or set(table) - {"kind", "columns"}:
        raise bad(_("a mapping has kind = \"…\" and a [columns] table, nothing else"))
    kind, columns = table.get("kind"), table.get("columns", {})
    if kind not in KINDS:
        raise bad(_("kind must be members, products or purchases"))
    keys = {f.key for f in FIELDS[kind]}
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise bad(_("columns: field = \"column name\", one a line"))
    unknown = sorted(set(columns) - keys)
    if unknown:
        raise bad(_("{field}: not a field of a {kind} file").format(field=unknown[0], kind=kind))
    return SavedMapping(name, kind, dict(columns))


def list_mappings(path: Path, kind: str | None = None) -> list[SavedMapping]:
    """The saved mappings, by name, of KIND if given."""
    found = load_mappings(path)
    return [found[n] for n in sorted(found) if kind is None or found[n].kind == kind]


def save_mapping(path: Path, mapping: SavedMapping, group: str = "") -> Path:
    """Save MAPPING under its name (replacing one of that name) and return the file."""
    if not _NAME.fullmatch(mapping.name) or mapping.name != mapping.name.strip():
        raise MappingError(_("{name}: a mapping's name is 1 to 40 characters, no quotes, "
                             "spaces only inside").format(name=mapping.name))
    fields_of(mapping.kind)
    keys = {f.key for f in FIELDS[mapping.kind]}
    unknown = sorted(set(mapping.columns) - keys)
    if unknown:
        raise MappingError(_("{field}: not a field of a {kind} file").format(
            field=unknown[0], kind=mapping.kind))
    saved = load_mappings(path)
    saved[mapping.name] = mapping
    return replace_private(path, mappings_text(saved.values()), group,
                           _("the saved column mappings"))


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, and DEL is escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def mappings_text(mappings: Iterable[SavedMapping]) -> str:
    lines = ["# Column mappings for `shopfloor import … --mapping NAME`: field = \"column\"",
             "# written by Shopfloor; one table per name", ""]
    for m in sorted(mappings, key=lambda m: m.name):
        name = _toml_string(m.name)
        lines += [f"[{name}]", f"kind = {_toml_string(m.kind)}", "", f"[{name}.columns]"]
        order = [f.key for f in FIELDS[m.kind]]
        for field in sorted(m.columns, key=order.index):
            lines.append(f"{field} = {_toml_string(m.columns[field])}")
        lines.append("")
    return "\n".join(lines)
