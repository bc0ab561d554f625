//! Diesel table definitions, written by hand to match `migrations/{sqlite,postgres}`
//! (one logical schema; the SQL is portable between the two backends).

diesel::table! {
    named_locks (name) {
        name -> Text,
        counter -> BigInt,
    }
}

diesel::table! {
    reference_seeds (name) {
        name -> Text,
        sha256 -> Text,
        row_count -> Integer,
        loaded_at -> Timestamp,
    }
}

diesel::table! {
    provinces (code) {
        code -> Integer,
        name -> Text,
        search_key -> Text,
    }
}

diesel::table! {
    districts (code) {
        code -> Integer,
        province_code -> Integer,
        name -> Text,
        search_key -> Text,
    }
}

diesel::table! {
    neighbourhoods (code) {
        code -> Integer,
        district_code -> Integer,
        name -> Text,
        kind -> Text,
        search_key -> Text,
    }
}

diesel::table! {
    occupations (code) {
        code -> Text,
        name -> Text,
        search_key -> Text,
    }
}

diesel::table! {
    education_levels (code) {
        code -> Text,
        name_tr -> Text,
        name_en -> Text,
        position -> Integer,
    }
}

diesel::table! {
    countries (code) {
        code -> Text,
        name_tr -> Text,
        name_en -> Text,
        nationality_tr -> Text,
        search_key -> Text,
    }
}

diesel::table! {
    service_headings (code) {
        code -> Text,
        parent_code -> Nullable<Text>,
        name -> Text,
        position -> Integer,
        search_key -> Text,
    }
}

diesel::table! {
    detsis_units (detsis_no) {
        detsis_no -> Text,
        parent_detsis_no -> Nullable<Text>,
        name -> Text,
        province_code -> Nullable<Integer>,
        search_key -> Text,
    }
}

diesel::table! {
    sectors (id) {
        id -> Text,
        name -> Text,
        search_key -> Text,
        position -> Integer,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    institutions (id) {
        id -> Text,
        name -> Text,
        search_key -> Text,
        detsis_no -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    staff_accounts (id) {
        id -> Text,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        institution_id -> Nullable<Text>,
        province_code -> Nullable<Integer>,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    registry_citizens (tckn) {
        tckn -> Text,
        first_name -> Text,
        last_name -> Text,
        birth_date -> Date,
        gender -> Text,
        father_name -> Text,
        mother_maiden_surname -> Text,
        mobile -> Nullable<Text>,
        email -> Nullable<Text>,
        province_code -> Integer,
        district_code -> Integer,
        neighbourhood -> Nullable<Text>,
        open_address -> Text,
        edevlet_password_hash -> Nullable<Text>,
    }
}

diesel::table! {
    registry_foreigners (ykn) {
        ykn -> Text,
        first_name -> Text,
        last_name -> Text,
        birth_date -> Date,
        nationality -> Text,
        passport_no -> Nullable<Text>,
        passport_expires_on -> Nullable<Date>,
        residence_permit_until -> Nullable<Date>,
        international_protection -> Bool,
    }
}

diesel::table! {
    registry_sgk_workplaces (sgk_no) {
        sgk_no -> Text,
        title -> Text,
        vkn -> Text,
        province_code -> Integer,
        district_code -> Integer,
        address -> Text,
        employee_count -> Integer,
    }
}

diesel::table! {
    registry_sgk_authorisations (sgk_no, tckn) {
        sgk_no -> Text,
        tckn -> Text,
    }
}

diesel::table! {
    registry_kinships (tckn, relative_tckn) {
        tckn -> Text,
        relative_tckn -> Text,
        relation -> Text,
    }
}

diesel::table! {
    otp_challenges (id) {
        id -> Text,
        channel -> Text,
        destination -> Text,
        purpose -> Text,
        subject -> Text,
        code_hash -> Text,
        attempts -> Integer,
        expires_at -> Timestamp,
        consumed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        channel -> Text,
        recipient -> Text,
        body -> Text,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    verified_contacts (subject, channel, destination) {
        subject -> Text,
        channel -> Text,
        destination -> Text,
        verified_at -> Timestamp,
    }
}

diesel::joinable!(districts -> provinces (province_code));
diesel::joinable!(neighbourhoods -> districts (district_code));
diesel::allow_tables_to_appear_in_same_query!(provinces, districts, neighbourhoods);
diesel::allow_tables_to_appear_in_same_query!(registry_sgk_workplaces, registry_sgk_authorisations);

diesel::table! {
    history_entries (id) {
        id -> Text,
        resource_kind -> Text,
        resource_id -> Text,
        at -> Timestamp,
        actor -> Text,
        from_state -> Nullable<Text>,
        to_state -> Text,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    employers (id) {
        id -> Text,
        title -> Text,
        search_key -> Text,
        vkn -> Text,
        sector -> Text,
        iskur_no -> Text,
        address -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        terms_accepted_at -> Timestamp,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    employer_people (tckn) {
        tckn -> Text,
        password_hash -> Text,
        secret_question -> Text,
        secret_answer_hash -> Text,
        mobile -> Text,
        email -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    employer_users (employer_id, tckn) {
        employer_id -> Text,
        tckn -> Text,
        is_admin -> Bool,
        labour_demand -> Bool,
        workforce_chart -> Bool,
        mass_layoff -> Bool,
        reports -> Bool,
        user_admin -> Bool,
        primary_admin -> Bool,
        closing_date -> Nullable<Date>,
        locked -> Bool,
    }
}

diesel::table! {
    workplaces (id) {
        id -> Text,
        employer_id -> Text,
        kind -> Text,
        head_office_id -> Nullable<Text>,
        title -> Text,
        search_key -> Text,
        sgk_no -> Text,
        province_code -> Integer,
        district_code -> Integer,
        address -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        details -> Text,
    }
}

diesel::table! {
    workforce_charts (id) {
        id -> Text,
        workplace_id -> Text,
        employer_id -> Text,
        month -> Text,
        total_workers -> Integer,
        underground_workers -> Integer,
        disabled_workers -> Integer,
        ex_convict_workers -> Integer,
        terror_victim_workers -> Integer,
        document -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    quota_rates (sector, category, valid_from) {
        sector -> Text,
        category -> Text,
        basis_points -> Integer,
        valid_from -> Date,
        valid_until -> Nullable<Date>,
        note -> Text,
    }
}

diesel::table! {
    annual_surveys (id) {
        id -> Text,
        workplace_id -> Text,
        employer_id -> Text,
        survey_year -> Integer,
        document -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    mass_layoffs (id) {
        id -> Text,
        employer_id -> Text,
        notification_date -> Date,
        layoff_date -> Date,
        reason -> Text,
        total_men -> Integer,
        total_women -> Integer,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    mass_layoff_details (mass_layoff_id, position) {
        mass_layoff_id -> Text,
        position -> Integer,
        workplace_id -> Text,
        men -> Integer,
        women -> Integer,
    }
}

diesel::joinable!(employer_users -> employers (employer_id));
diesel::joinable!(workforce_charts -> workplaces (workplace_id));
diesel::allow_tables_to_appear_in_same_query!(
    employers,
    employer_users,
    workplaces,
    workforce_charts
);

diesel::table! {
    job_seekers (tckn) {
        tckn -> Text,
        first_name -> Text,
        last_name -> Text,
        birth_date -> Date,
        province_code -> Integer,
        district_code -> Integer,
        active -> Bool,
        profile -> Text,
        version -> BigInt,
        registered_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    job_seeker_occupations (occupation_code, tckn) {
        occupation_code -> Text,
        tckn -> Text,
        position -> Integer,
    }
}

diesel::table! {
    labour_demands (id) {
        id -> Text,
        talep_no -> BigInt,
        employer_id -> Text,
        workplace_id -> Text,
        status -> Text,
        occupation_code -> Text,
        province_code -> Integer,
        district_code -> Integer,
        target_group -> Text,
        sector -> Text,
        work_location -> Text,
        work_type -> Text,
        last_application_date -> Date,
        position_key -> Text,
        field_key -> Text,
        employer_title_key -> Text,
    }
}

diesel::table! {
    labour_demand_documents (demand_id) {
        demand_id -> Text,
        document -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    labour_demand_keywords (word, demand_id) {
        word -> Text,
        demand_id -> Text,
    }
}

diesel::table! {
    demand_candidates (id) {
        id -> Text,
        demand_id -> Text,
        tckn -> Text,
        full_name -> Text,
        origin -> Text,
        listed_at -> Timestamp,
        interview_at -> Nullable<Timestamp>,
        interview_place -> Nullable<Text>,
        invited_at -> Nullable<Timestamp>,
        answer -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
        result -> Nullable<Text>,
        result_note -> Nullable<Text>,
        result_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::joinable!(job_seeker_occupations -> job_seekers (tckn));
diesel::joinable!(demand_candidates -> labour_demands (demand_id));
diesel::joinable!(labour_demand_keywords -> labour_demands (demand_id));
diesel::joinable!(labour_demand_documents -> labour_demands (demand_id));
diesel::allow_tables_to_appear_in_same_query!(
    job_seekers,
    job_seeker_occupations,
    labour_demands,
    labour_demand_keywords,
    labour_demand_documents,
    demand_candidates,
);

diesel::table! {
    petition_users (id) {
        id -> Text,
        kind -> Text,
        tckn -> Text,
        first_name -> Text,
        last_name -> Text,
        name_key -> Text,
        mobile -> Text,
        province_code -> Integer,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    petition_user_districts (user_id, district_code) {
        user_id -> Text,
        district_code -> Integer,
    }
}

diesel::table! {
    petition_user_units (user_id, detsis_no) {
        user_id -> Text,
        detsis_no -> Text,
    }
}

diesel::table! {
    petitions (id) {
        id -> Text,
        tracking_no -> BigInt,
        channel -> Text,
        tckn -> Text,
        first_name_key -> Text,
        last_name_key -> Text,
        province_code -> Integer,
        district_code -> Integer,
        sector_id -> Text,
        status -> Text,
        submitted_at -> Timestamp,
        arrival_date -> Date,
        document -> Text,
        version -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    petition_headings (petition_id, position) {
        petition_id -> Text,
        position -> Integer,
        heading_code -> Text,
        sub_heading_code -> Text,
    }
}

diesel::table! {
    petition_routings (petition_id, detsis_no) {
        petition_id -> Text,
        detsis_no -> Text,
        deadline -> Date,
        answered -> Bool,
    }
}

diesel::table! {
    petition_files (id) {
        id -> Text,
        petition_id -> Text,
        origin -> Text,
        file_name -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        uploaded_at -> Timestamp,
    }
}

diesel::joinable!(petition_user_districts -> petition_users (user_id));
diesel::joinable!(petition_user_units -> petition_users (user_id));
diesel::joinable!(petition_headings -> petitions (petition_id));
diesel::joinable!(petition_routings -> petitions (petition_id));
diesel::joinable!(petition_files -> petitions (petition_id));
diesel::allow_tables_to_appear_in_same_query!(
    petition_users,
    petition_user_districts,
    petition_user_units,
    petitions,
    petition_headings,
    petition_routings,
    petition_files,
    sectors,
);

diesel::table! {
    postings (id) {
        id -> Text,
        posting_no -> BigInt,
        institution_id -> Text,
        status -> Text,
        starts_on -> Date,
        ends_on -> Date,
        search_key -> Text,
        document -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    posting_positions (posting_id, no) {
        posting_id -> Text,
        no -> Integer,
        province_code -> Integer,
        education_level -> Text,
        employment_type -> Text,
        title_key -> Text,
    }
}

diesel::table! {
    applications (id) {
        id -> Text,
        posting_id -> Text,
        candidate_tckn -> Text,
        name_key -> Text,
        sub_posting_no -> Nullable<Integer>,
        status -> Text,
        submitted_at -> Nullable<Timestamp>,
        document -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(posting_positions -> postings (posting_id));
diesel::joinable!(applications -> postings (posting_id));
diesel::joinable!(postings -> institutions (institution_id));
diesel::allow_tables_to_appear_in_same_query!(
    postings,
    posting_positions,
    applications,
    institutions
);

diesel::table! {
    registry_mfa_references (reference_no) {
        reference_no -> Text,
        first_name -> Text,
        last_name -> Text,
        birth_date -> Date,
        nationality -> Text,
        passport_no -> Nullable<Text>,
        passport_expires_on -> Nullable<Date>,
        issued_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    registry_yok_pre_permits (pre_permit_no) {
        pre_permit_no -> Text,
        status -> Text,
        first_name -> Text,
        last_name -> Text,
        nationality -> Text,
        passport_no -> Nullable<Text>,
        university -> Text,
    }
}

diesel::table! {
    work_permit_fees (valid_from, months_min) {
        valid_from -> Date,
        months_min -> Integer,
        months_max -> Integer,
        permit_fee_kurus -> BigInt,
        card_fee_kurus -> BigInt,
    }
}

diesel::table! {
    work_permits (id) {
        id -> Text,
        employer_key -> Text,
        status -> Text,
        foreigner_key -> Nullable<Text>,
        permit_ends_on -> Nullable<Date>,
        last_touched_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        document -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    work_permit_employers (id) {
        id -> Text,
        owner_tckn -> Text,
        kind -> Text,
        workplace_key -> Text,
        sgk_no -> Nullable<Text>,
        care_kind -> Nullable<Text>,
        university_name -> Nullable<Text>,
        title -> Text,
        email -> Text,
        mobile -> Text,
        document -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    work_permit_employer_users (employer_id, tckn) {
        employer_id -> Text,
        tckn -> Text,
        first_name -> Text,
        last_name -> Text,
        authorised_by -> Text,
        authorised_at -> Timestamp,
    }
}

diesel::table! {
    work_permit_files (application_id, sha256) {
        application_id -> Text,
        sha256 -> Text,
        kind -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        file_name -> Text,
        uploaded_by -> Text,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    e_signatures (id) {
        id -> Text,
        signer_tckn -> Text,
        document_sha256 -> Text,
        signed_at -> Timestamp,
    }
}
diesel::allow_tables_to_appear_in_same_query!(work_permit_employers, work_permit_employer_users);
