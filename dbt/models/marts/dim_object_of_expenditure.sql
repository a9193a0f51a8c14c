select object_code, label_zh as object_label_zh, label_en as object_label_en, object_group,
       label_zh_source as object_label_zh_source, label_en_source as object_label_en_source, sort_order
from {{ ref('objects_of_expenditure') }}
