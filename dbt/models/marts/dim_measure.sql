select measure_code as measure, label_zh as measure_label_zh, label_en as measure_label_en,
       nullif(keyword_zh, '') as keyword_zh, nullif(keyword_en, '') as keyword_en,
       label_zh_source as measure_label_zh_source, label_en_source as measure_label_en_source
from {{ ref('measures') }}
