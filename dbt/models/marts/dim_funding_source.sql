select funding_source_code as funding_source, label_zh as funding_source_label_zh,
       label_en as funding_source_label_en, sort_order
from {{ ref('funding_sources') }}
