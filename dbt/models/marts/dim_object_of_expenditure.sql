select object_code, label_zh as object_label_zh, label_en as object_label_en, sort_order
from {{ ref('objects_of_expenditure') }}
