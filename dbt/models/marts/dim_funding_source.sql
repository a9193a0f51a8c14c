select funding_source_code as funding_source, label_zh as funding_source_label_zh,
       label_en as funding_source_label_en, label_zh_source as funding_source_label_zh_source,
       label_en_source as funding_source_label_en_source, sort_order
from {{ ref('funding_sources') }}
