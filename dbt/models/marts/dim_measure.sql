select measure_code as measure, label_zh as measure_label_zh, label_en as measure_label_en from {{ ref('measures') }}
