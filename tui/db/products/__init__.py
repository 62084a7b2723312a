"""The shop's products: the list a manager keeps (catalogue), and adding or editing one by
a form, checked field by field and audited (form)."""

from tui.db.products.catalogue import ProductLine, product_list
from tui.db.products.form import (FIELDS, ProductErrors, add_product, edit_product,
                                  validate_product)

__all__ = ["FIELDS", "ProductErrors", "ProductLine", "add_product", "edit_product",
           "product_list", "validate_product"]
