namespace Autopilot.Agents.Scout;

/// <summary>Web framework. JSON: snake_case (<c>spring_boot</c>, <c>gin</c>, <c>echo</c>, <c>net_http</c>, <c>fastapi</c>, <c>flask</c>, <c>django</c>, <c>express</c>, <c>fastify</c>, <c>nestjs</c>, <c>aspnet_core</c>).</summary>
public enum Framework
{
    SpringBoot,
    Gin,
    Echo,
    NetHttp,
    Fastapi,
    Flask,
    Django,
    Express,
    Fastify,
    Nestjs,
    AspnetCore,
}
