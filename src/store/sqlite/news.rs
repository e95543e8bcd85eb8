//! News items in SQLite.
use super::SqliteStore;
use crate::store::{News, NewsDraft, NewsItem};
use crate::Result;
use rusqlite::{params, Connection, OptionalExtension, Row};

const COLUMNS: &str =
    "id, title, text, date, municipality, link, demo, author, created, updated FROM news";

fn item(r: &Row<'_>) -> rusqlite::Result<NewsItem> {
    Ok(NewsItem {
        id: r.get(0)?,
        draft: NewsDraft {
            title: r.get(1)?,
            text: r.get(2)?,
            date: r.get(3)?,
            municipality: r.get(4)?,
            link: r.get(5)?,
            demo: r.get(6)?,
        },
        author: r.get(7)?,
        created: r.get(8)?,
        updated: r.get(9)?,
    })
}

fn one(conn: &Connection, id: i64) -> Result<Option<NewsItem>> {
    let sql = format!("SELECT {COLUMNS} WHERE id = ?1");
    Ok(conn.query_row(&sql, [id], item).optional()?)
}

impl News for SqliteStore {
    fn add_news(&self, d: &NewsDraft, author: Option<i64>, now: i64) -> Result<NewsItem> {
        let conn = self.lock()?;
        conn.execute(
            "INSERT INTO news(title, text, date, municipality, link, demo, author, created, updated)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![d.title, d.text, d.date, d.municipality, d.link, d.demo, author, now],
        )?;
        Ok(NewsItem {
            id: conn.last_insert_rowid(),
            draft: d.clone(),
            created: now,
            updated: now,
            author,
        })
    }

    fn update_news(&self, id: i64, d: &NewsDraft, now: i64) -> Result<Option<NewsItem>> {
        let conn = self.lock()?;
        let n = conn.execute(
            "UPDATE news SET title = ?2, text = ?3, date = ?4, municipality = ?5, link = ?6,
               demo = ?7, updated = ?8 WHERE id = ?1",
            params![
                id,
                d.title,
                d.text,
                d.date,
                d.municipality,
                d.link,
                d.demo,
                now
            ],
        )?;
        if n == 0 {
            return Ok(None);
        }
        one(&conn, id)
    }

    fn delete_news(&self, id: i64) -> Result<bool> {
        Ok(self
            .lock()?
            .execute("DELETE FROM news WHERE id = ?1", [id])?
            > 0)
    }

    fn news_item(&self, id: i64) -> Result<Option<NewsItem>> {
        let conn = self.lock()?;
        one(&conn, id)
    }

    fn news(&self, municipality: Option<&str>, limit: usize) -> Result<Vec<NewsItem>> {
        let conn = self.lock()?;
        let sql = format!(
            "SELECT {COLUMNS} WHERE ?1 IS NULL OR municipality = ?1 OR municipality IS NULL
             ORDER BY date DESC, id DESC LIMIT ?2"
        );
        let mut stmt = conn.prepare(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![municipality, limit], item)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn news_count(&self) -> Result<usize> {
        let n: i64 = self
            .lock()?
            .query_row("SELECT count(*) FROM news", [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }
}
