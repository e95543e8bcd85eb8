//! The column names a Carta Social listing may use for each of our fields.

/// Our field (or `type_code`, `group`, `district`: read, not stored) and the column names that
/// hold it, folded as the reader folds a header (lower case, no accents, punctuation as space).
pub const COLUMNS: &[(&str, &[&str])] = &[
    (
        "id",
        &["id", "id resposta", "id da resposta", "identificador"],
    ),
    (
        "provider",
        &[
            "entidade",
            "entidade proprietaria",
            "nome da entidade",
            "entidade gestora",
            "entidade promotora",
            "entidade titular",
            "designacao da entidade",
        ],
    ),
    (
        "provider_id",
        &[
            "nif",
            "nipc",
            "nif da entidade",
            "nif entidade",
            "id entidade",
        ],
    ),
    (
        "provider_nature",
        &[
            "natureza juridica",
            "natureza",
            "natureza da entidade",
            "natureza juridica da entidade",
            "tipo de entidade",
        ],
    ),
    (
        "name",
        &[
            "equipamento",
            "nome do equipamento",
            "nome equipamento",
            "designacao do equipamento",
            "designacao",
        ],
    ),
    (
        "type",
        &[
            "resposta social",
            "resposta",
            "tipo de resposta",
            "tipo de resposta social",
            "valencia",
            "designacao da resposta social",
            "nome da resposta social",
        ],
    ),
    (
        "type_code",
        &[
            "tp",
            "codigo resposta social",
            "codigo da resposta social",
            "codigo resposta",
            "codigo da resposta",
            "cod resposta",
        ],
    ),
    (
        "group",
        &[
            "populacao alvo",
            "area de intervencao",
            "grupo alvo",
            "destinatarios",
            "subarea",
            "vt",
        ],
    ),
    (
        "capacity",
        &[
            "capacidade",
            "lugares",
            "capacidade total",
            "n lugares",
            "numero de lugares",
        ],
    ),
    (
        "users",
        &[
            "utentes",
            "n utentes",
            "n de utentes",
            "numero de utentes",
            "utentes em frequencia",
        ],
    ),
    ("vacancies", &["vagas", "lugares vagos", "n vagas"]),
    ("opening_hours", &["horario", "horario de funcionamento"]),
    ("address", &["morada", "endereco", "morada do equipamento"]),
    ("postal_code", &["codigo postal", "cod postal", "cp"]),
    ("locality", &["localidade"]),
    ("parish", &["freguesia"]),
    ("municipality", &["concelho", "municipio"]),
    ("district", &["distrito"]),
    (
        "phone",
        &[
            "telefone",
            "tel",
            "telef",
            "contacto telefonico",
            "telemovel",
        ],
    ),
    (
        "email",
        &[
            "email",
            "e mail",
            "correio eletronico",
            "correio electronico",
            "endereco eletronico",
        ],
    ),
    (
        "website",
        &[
            "website",
            "site",
            "sitio web",
            "pagina web",
            "pagina de internet",
            "url",
        ],
    ),
    ("lat", &["latitude", "lat"]),
    ("lon", &["longitude", "lon", "long", "lng"]),
    (
        "updated",
        &[
            "data de atualizacao",
            "data atualizacao",
            "data de actualizacao",
            "atualizado em",
            "data da informacao",
            "data de referencia",
        ],
    ),
];
